import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { createCallerFactory, publicProcedure, router } from '../trpc.ts';
import { DomainError, fail, reasons, renderTemplate } from './errors.ts';
import { fieldCodes } from './input-errors.ts';

const testRouter = router({
  missing: publicProcedure.query(() => fail('NOT_FOUND', { entity: 'forecast', id: 7 })),
  limited: publicProcedure.mutation(() => {
    throw new DomainError('RATE_LIMITED', { retryAfterSeconds: 30 });
  }),
});

describe('DomainError', () => {
  it('renders its English message from the catalogue and keeps reason and params', () => {
    const error = new DomainError('NOT_FOUND', { entity: 'forecast', id: 7 });
    expect(error.message).toBe('forecast 7 not found');
    expect(error.reason).toBe('NOT_FOUND');
    expect(error.params).toEqual({ entity: 'forecast', id: 7 });
    expect(error.kind).toBe('NOT_FOUND');
  });

  it('reason codes are SCREAMING_SNAKE', () => {
    for (const code of Object.keys(reasons)) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('a DomainError thrown by a procedure reaches the caller as the TRPCError of its kind', async () => {
    const caller = createCallerFactory(testRouter)({} as never);
    const missing = await caller.missing().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TRPCError);
    expect((missing as TRPCError).code).toBe('NOT_FOUND');
    expect((missing as TRPCError).cause).toBeInstanceOf(DomainError);
    const limited = await caller.limited().catch((e: unknown) => e);
    expect((limited as TRPCError).code).toBe('TOO_MANY_REQUESTS');
  });

  it('picks English plural forms by the number', () => {
    expect(new DomainError('LOGIN_LOCKED', { minutes: 1 }).message).toBe(
      'Too many failed attempts; try again in 1 minute',
    );
    expect(new DomainError('LOGIN_LOCKED', { minutes: 15 }).message).toBe(
      'Too many failed attempts; try again in 15 minutes',
    );
    expect(renderTemplate('{x} left', {})).toBe('{x} left');
  });
});

/**
 * Two codes mean the same thing when their English says the same thing: the same words once case,
 * quotes and punctuation are dropped and every placeholder counts alike ('from must not be after to'
 * and '"from" must not be after "to"' were one rule worded twice). Such codes must be merged.
 */
const meaning = (template: string) =>
  template
    .toLowerCase()
    .replace(/\{\w+(:[^}]*)?\}/g, '#')
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();

function sharedMeanings(catalogue: Record<string, string>): string[][] {
  const byMeaning = new Map<string, string[]>();
  for (const [code, template] of Object.entries(catalogue)) {
    byMeaning.set(meaning(template), [...(byMeaning.get(meaning(template)) ?? []), code]);
  }
  return [...byMeaning.values()].filter((codes) => codes.length > 1);
}

describe('the catalogues', () => {
  it('no two reason codes share a meaning', () => {
    const templates = Object.fromEntries(Object.entries(reasons).map(([code, r]) => [code, r.message]));
    expect(sharedMeanings(templates)).toEqual([]);
  });

  it('no two field codes share a meaning', () => {
    expect(sharedMeanings(fieldCodes)).toEqual([]);
    for (const code of Object.keys(fieldCodes)) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('the check catches one rule worded twice', () => {
    expect(sharedMeanings({ A: 'from must not be after to', B: '"From" must not be after "to".' })).toEqual([
      ['A', 'B'],
    ]);
    expect(sharedMeanings({ A: '{entity} {id} not found', B: 'User {name} not found' })).toEqual([]);
  });
});
