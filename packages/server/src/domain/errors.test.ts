import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { createCallerFactory, publicProcedure, router } from '../trpc.ts';
import { DomainError, fail, reasons } from './errors.ts';

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
});
