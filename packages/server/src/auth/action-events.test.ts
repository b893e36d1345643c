import { describe, expect, it } from 'vitest';
import { actions } from '../domain/actions.ts';
import { actionEvent, withEvent } from './action-events.ts';

describe('actionEvent', () => {
  it('reads back every action the server writes, with its parameters', () => {
    const cases: [string, ReturnType<typeof actionEvent>][] = [
      [actions.register, { code: 'register', params: {} }],
      [actions.loginSuccess, { code: 'loginSuccess', params: {} }],
      [actions.loginFailed, { code: 'loginFailed', params: {} }],
      [actions.logout, { code: 'logout', params: {} }],
      [actions.adminCreated, { code: 'adminCreated', params: {} }],
      [actions.demoAdminCreated, { code: 'demoAdminCreated', params: {} }],
      [actions.adminGranted, { code: 'adminGranted', params: {} }],
      [
        actions.legacyTakeover({ users: 3, logs: 5, forecasts: 2, detached: 1 }),
        { code: 'legacyTakeover', params: { users: 3, logs: 5, forecasts: 2, detached: 1 } },
      ],
      [
        actions.legacyTakeover({ users: 1, logs: 0, forecasts: 0, detached: 0 }),
        { code: 'legacyTakeover', params: { users: 1, logs: 0, forecasts: 0, detached: 0 } },
      ],
      [
        actions.userUpdated(7, ['password', 'role=admin']),
        { code: 'userUpdated', params: { id: 7, fields: 'password, role=admin' } },
      ],
      [actions.userDeleted(8, 'ana.b'), { code: 'userDeleted', params: { id: 8, username: 'ana.b' } }],
      [actions.logEdited(12), { code: 'logEdited', params: { id: 12 } }],
      [actions.logDeleted(13), { code: 'logDeleted', params: { id: 13 } }],
      [actions.predictSuccess('lstm'), { code: 'predictSuccess', params: { model: 'lstm' } }],
      [actions.predictFailed('default'), { code: 'predictFailed', params: { model: 'default' } }],
      [actions.predictUpdated(5), { code: 'predictUpdated', params: { id: 5 } }],
      [actions.predictDeleted(6), { code: 'predictDeleted', params: { id: 6 } }],
      [
        actions.jobRun('score-forecasts', 'succeeded'),
        { code: 'jobRun', params: { job: 'score-forecasts', state: 'succeeded' } },
      ],
      [
        actions.pricesImported({ symbols: ['ETH-USD'], inserted: 30, updated: 2, origin: 'file:eth.csv' }),
        {
          code: 'pricesImported',
          params: { symbols: 'ETH-USD', inserted: 30, updated: 2, origin: 'file:eth.csv' },
        },
      ],
      [
        actions.pricesSynced({
          symbols: ['ETH-USD'],
          inserted: 1,
          updated: 0,
          origin: 'sync:api.exchange.coinbase.com, job sync-prices',
        }),
        {
          code: 'pricesSynced',
          params: {
            symbols: 'ETH-USD',
            inserted: 1,
            updated: 0,
            origin: 'sync:api.exchange.coinbase.com, job sync-prices',
          },
        },
      ],
      [
        // too long with its origin: the origin is left out, never cut in half
        actions.pricesImported({
          symbols: ['ETH-USD', 'BTC-USD', 'SOL-USD', 'ADA-USD'],
          inserted: 1_000_000,
          updated: 0,
          origin: `file:${'x'.repeat(80)}.csv`,
        }),
        {
          code: 'pricesImported',
          params: { symbols: 'ETH-USD, BTC-USD and 2 more', inserted: 1_000_000, updated: 0, origin: '…' },
        },
      ],
    ];
    for (const [text, event] of cases) expect(actionEvent(text), text).toEqual(event);
  });

  it('gives no event for text an admin reworded or the server never writes', () => {
    for (const text of ['login failed (reviewed)', 'Login success', 'log x deleted', 'user 5 deleted', '']) {
      expect(actionEvent(text), text).toBeNull();
    }
  });

  it('keeps the stored text next to the event', () => {
    expect(withEvent({ id: 1, action: 'logout' })).toEqual({
      id: 1,
      action: 'logout',
      event: { code: 'logout', params: {} },
    });
  });
});
