import { describe, expect, it } from 'vitest';
import { createActor, storeForecast } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { useTestServer } from '../test/fixtures.ts';
import { getProcedure, postProcedure } from '../test/http-calls.ts';
import type { TestServer } from '../test/server.ts';

describe(`another user's forecast over HTTP (${testEngine})`, () => {
  let server: TestServer;
  let intruder: string;
  let othersId: number;
  useTestServer(async (started, services) => {
    server = started;
    const owner = await createActor(services, 'forecast_owner');
    intruder = (await createActor(services, 'forecast_intruder')).token;
    othersId = (
      await storeForecast(services.db, owner.user, {
        note: 'private',
        action: 'predict success with model naive',
      })
    ).id;
  });

  it('answers 404 with the same message as a missing id, for every procedure', async () => {
    const missingId = othersId + 1000;
    const auth = { authorization: `Bearer ${intruder}` };
    const calls = [
      (id: number) => getProcedure(server.url, 'predicts.byId', { id }, auth),
      (id: number) => postProcedure(server.url, 'predicts.update', { id, note: 'mine now' }, auth),
      (id: number) => postProcedure(server.url, 'predicts.delete', { id }, auth),
    ];
    for (const call of calls) {
      const others = await call(othersId);
      const missing = await call(missingId);
      expect(others.status).toBe(404);
      expect(missing.status).toBe(404);
      const message = (text: string) =>
        (JSON.parse(text) as { error: { json: { message: string } } }).error.json.message;
      expect(message(others.text)).toBe(`forecast ${othersId} not found`);
      expect(message(missing.text)).toBe(`forecast ${missingId} not found`);
      expect(others.text.replaceAll(String(othersId), 'ID')).toBe(
        missing.text.replaceAll(String(missingId), 'ID'),
      );
      expect(others.text).not.toContain('private');
    }
  });
});
