import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, reasons } from '../domain/errors.ts';
import { classify, failureMessage, legacyMessages, retryAfterSeconds } from './failures.ts';
import { pickLanguage } from './language.ts';

describe('legacy failure table', () => {
  it('has a Portuguese and an English sentence for every reason of the catalogue', () => {
    const missing = Object.keys(reasons).filter(
      (reason) => reason !== 'NOT_FOUND' && !legacyMessages[reason],
    );
    expect(missing).toEqual([]);
    for (const text of Object.values(legacyMessages)) {
      expect(text.pt.length).toBeGreaterThan(0);
      expect(text.en.length).toBeGreaterThan(0);
    }
  });

  it('takes the status from the kind, invalid input 422, anything unknown 500 without detail', () => {
    const notFound = classify(
      new TRPCError({
        code: 'NOT_FOUND',
        cause: new DomainError('NOT_FOUND', { entity: 'forecast', id: 3 }),
      }),
    );
    expect(notFound).toMatchObject({ status: 404, reason: 'NOT_FOUND', internal: false });
    expect(failureMessage(notFound, 'pt', 'predict')).toBe('Nenhuma predict encontrada');
    expect(failureMessage(notFound, 'en', 'log')).toBe('No log found');

    const limited = classify(new DomainError('RATE_LIMITED', { retryAfterSeconds: 30 }));
    expect(limited.status).toBe(429);
    expect(retryAfterSeconds(limited)).toBe(30);
    expect(failureMessage(limited, 'pt')).toBe('Muitas requisições; tente novamente em 30 s');

    const zod = z.object({ days: z.number().min(1, 'must be at least 1') }).safeParse({ days: 0 });
    const invalid = classify(new TRPCError({ code: 'BAD_REQUEST', cause: zod.error }));
    expect(invalid).toMatchObject({
      status: 422,
      reason: 'INVALID_INPUT',
      fields: { days: 'must be at least 1' },
    });
    expect(failureMessage(invalid, 'en')).toBe('Invalid input: days: must be at least 1');

    const bug = classify(new Error('relation "predict" does not exist'));
    expect(bug).toMatchObject({ status: 500, reason: 'INTERNAL', internal: true });
    expect(failureMessage(bug, 'pt')).toBe('Erro interno do servidor');
    const internalTrpc = classify(
      new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'select * from users' }),
    );
    expect(failureMessage(internalTrpc, 'en')).toBe('Internal server error');
  });

  it('answers Portuguese whatever Accept-Language says; English only when asked for explicitly', () => {
    const ask = (headers: Record<string, string>, query: Record<string, string> = {}) =>
      pickLanguage({ headers, query });
    expect(ask({})).toBe('pt');
    expect(ask({ 'accept-language': 'en-US,en;q=0.9' })).toBe('pt');
    expect(ask({ 'accept-language': 'en' })).toBe('pt');
    expect(ask({ 'x-ethcast-language': 'en' })).toBe('en');
    expect(ask({ 'x-ethcast-language': 'en-US' })).toBe('en');
    expect(ask({}, { lang: 'en' })).toBe('en');
    expect(ask({ 'x-ethcast-language': 'en' }, { lang: 'pt' })).toBe('pt');
    expect(ask({ 'x-ethcast-language': 'de' })).toBe('pt');
  });
});
