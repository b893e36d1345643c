import { DomainError } from '@ethcast/server';
import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.ts';

describe('describeError', () => {
  it("shows PostgreSQL's message and code instead of drizzle's query text and parameters", () => {
    const postgres = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const wrapped = new Error('Failed query: select pg_advisory_xact_lock($1)\nparams: secret', {
      cause: postgres,
    });
    expect(describeError(wrapped)).toBe('database error: deadlock detected (40P01)');
    expect(describeError(new Error('Failed query: select 1\nparams: '))).toBe(
      'database error: a query failed',
    );
  });

  it('keeps the first line of any other error', () => {
    expect(describeError(new Error('line 3: bad close\nmore'))).toBe('line 3: bad close');
    expect(describeError('plain')).toBe('plain');
  });

  it("names a service's reason code", () => {
    expect(describeError(new DomainError('USERNAME_TAKEN'))).toBe('That username is taken (USERNAME_TAKEN)');
  });
});
