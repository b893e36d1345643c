import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prices } from '../db/schema.ts';
import { createActor } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { generateCandles, storedPrices, toCsv } from '../test/price-csv.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { PRICE_IMPORT_PATH } from './import-route.ts';

type Answer = {
  status: number;
  body: { error?: { reason: string; message: string } } & Record<string, unknown>;
};

/** A raw HTTP/1.1 exchange: the whole answer, or `null` when the server closed without one. */
function exchange(socket: Socket): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(text === '' ? null : text));
  });
}

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

function parseAnswer(raw: string | null): Answer | null {
  if (raw === null) return null;
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: body ? JSON.parse(body) : {} };
}

describe(`POST ${PRICE_IMPORT_PATH} (${testEngine})`, { timeout: 60_000 }, () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({
      BODY_IDLE_TIMEOUT_SECONDS: '1',
      REQUEST_TIMEOUT_SECONDS: '3',
      CONNECTIONS_PER_ADDRESS: '8',
    });
    token = (await createActor(server.services, 'route_admin', 'admin')).token;
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    await server.testDb.db.delete(prices);
  });

  /** Sends the whole body with Connection: close and reads the answer, as curl does. */
  async function upload(body: string | Buffer, query = 'symbol=ETH-USD'): Promise<Answer | null> {
    const socket = await open(server.url);
    const answer = exchange(socket);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    socket.write(
      `POST ${PRICE_IMPORT_PATH}?${query} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/csv\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(bytes);
    return parseAnswer(await answer);
  }

  const csv = (rows = generateCandles('ETH-USD', '2024-01-01', 5, 3)) => toCsv(rows, 'plain');

  it('answers a refusal found before the body is read: 422 with its reason and line', async () => {
    const unknownHeader = 'when,price,size\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n';
    const noSymbol = csv();
    const binary = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));
    // a body far larger than the socket buffers: the answer still comes, after the rest is read
    const bigUnknown = `when,price\n${'1,2\n'.repeat(1_000_000)}`;
    for (const [body, query, expected] of [
      [unknownHeader, 'symbol=ETH-USD', /^line 1: unrecognised header "when,price,size"/],
      [noSymbol, '', /^line 1: no symbol: pass --symbol/],
      [binary, 'symbol=ETH-USD', /^line 1: unrecognised header/],
      [bigUnknown, 'symbol=ETH-USD', /^line 1: unrecognised header "when,price"/],
      // README, "Prices": pnpm train and pnpm backtest --csv read a date,close file; an import does not
      [
        'date,close\n2024-01-01,2280\n',
        'symbol=ETH-USD',
        /^line 1: only date and close columns: an import needs open, high, low and close/,
      ],
    ] as const) {
      const answer = await upload(body, query);
      expect(answer?.status).toBe(422);
      expect(answer?.body.error?.reason).toBe('PRICE_FILE_INVALID');
      expect(answer?.body.error?.message).toMatch(expected);
    }
    expect(await storedPrices(server.testDb.db)).toEqual([]);
  });

  it('reads a CR-only kline file, and refuses a file without rows', async () => {
    const rows = generateCandles('ETH-USD', '2023-01-01', 200, 4);
    const kline = toCsv(rows, 'kline').replace(/\n/g, '\r');
    expect(kline.split('\r')[0]?.split(',').length).toBe(12);
    const imported = await upload(kline);
    expect(imported?.status).toBe(200);
    expect(imported?.body).toMatchObject({ format: 'kline', rowsRead: 200, inserted: 200 });
    await server.testDb.db.delete(prices);

    const headerOnly = await upload('date,open,high,low,close,volume\r\r');
    expect(headerOnly?.status).toBe(422);
    expect(headerOnly?.body.error?.message).toMatch(/no price rows/);
    expect(await storedPrices(server.testDb.db)).toEqual([]);
  });

  it('cuts a stalled upload, which writes nothing, and the next import proceeds', async () => {
    const rows = generateCandles('ETH-USD', '2000-01-01', 6000, 5);
    const text = toCsv(rows, 'plain');
    const socket = await open(server.url);
    const cut = exchange(socket);
    socket.write(
      `POST ${PRICE_IMPORT_PATH}?symbol=ETH-USD HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/csv\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n`,
    );
    socket.write(text.slice(0, text.length / 2)); // then nothing more: the client stalls
    // Meanwhile another import of other days waits for the import lock the stalled one holds. Its body
    // is larger than the buffers, so it sits unread while it waits: that wait is the server's, not an
    // idle client's, and must not be cut.
    const other = generateCandles('ETH-USD', '2030-01-01', 4000, 6);
    const next = upload(toCsv(other, 'plain'));
    // The stalled upload is cut (the connection closed without an import report) ...
    const cutAnswer = parseAnswer(await cut);
    expect(cutAnswer?.status ?? null).not.toBe(200);
    // ... and the next import goes through.
    const nextAnswer = await next;
    expect(nextAnswer?.status).toBe(200);
    expect(nextAnswer?.body).toMatchObject({ inserted: 4000 });
    // Nothing of the cut import is stored.
    expect(await storedPrices(server.testDb.db)).toEqual(other);
  });

  it('cuts a request body that trickles in slower than its total time allows', async () => {
    const socket = await open(server.url);
    const closed = exchange(socket);
    socket.write(
      'POST /trpc/auth.login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    // one byte every 300 ms: never idle for the 1 s idle limit, but over the 3 s total
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 300);
    try {
      const answer = await closed;
      expect(answer === null || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
    } finally {
      clearInterval(drip);
    }
  });

  it('caps the connections of one client address, and frees a place when one closes', async () => {
    const held: Socket[] = [];
    for (let i = 0; i < 8; i++) held.push(await open(server.url));
    const extra = await open(server.url);
    const refused = await exchange(extra);
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/retry-after: \d+/i);

    const last = held.pop() as Socket;
    const gone = new Promise((resolve) => last.once('close', resolve));
    last.destroy();
    await gone;
    // the server sees the close a moment later: try until a place is free
    let answer: string | null = null;
    for (let attempt = 0; attempt < 50; attempt++) {
      const socket = await open(server.url);
      const reply = exchange(socket);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      answer = await reply;
      if (answer?.startsWith('HTTP/1.1 200')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    for (const socket of held) socket.destroy();
  });
});
