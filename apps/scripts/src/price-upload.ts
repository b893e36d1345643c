import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ImportReport } from '@ethcast/server';

/** The server's answer to a refused upload (packages/server/src/prices/import-route.ts). */
export class ServerRefusal extends Error {
  override name = 'ServerRefusal';
  constructor(
    message: string,
    readonly reason: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type UploadOptions = {
  url: string;
  token: string | undefined;
  symbol?: string;
  skipBad: boolean;
  /** bytes sent so far and the file's size */
  onProgress?: (sent: number, total: number) => void;
};

/**
 * Streams a price file to a running server's import route and returns its report. The file is never
 * held in memory; the server parses it as it arrives and writes all rows in one transaction.
 */
export async function uploadPriceFile(file: string, options: UploadOptions): Promise<ImportReport> {
  let total: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error(`${file} is not a file`);
    total = info.size;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new Error(message?.endsWith('is not a file') ? message : `cannot read ${file}: ${message}`);
  }
  let sent = 0;
  const counted = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sent += chunk.length;
        options.onProgress?.(sent, total);
        done(null, chunk);
      },
    }),
  );
  const query = new URLSearchParams({
    ...(options.symbol ? { symbol: options.symbol } : {}),
    skipBad: String(options.skipBad),
    name: basename(file),
  });
  const response = await postFile(`${options.url.replace(/\/+$/, '')}/api/prices/import?${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'text/csv',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: Readable.toWeb(counted) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  if (response === null) {
    throw new Error(
      'the server closed the connection before answering (it cuts uploads that stall; see its log)',
    );
  }
  const body = (await response.json().catch(() => null)) as
    | (ImportReport & { error?: undefined })
    | { error?: { reason?: string; message?: string } }
    | null;
  if (response.ok && body && !body.error) return body as ImportReport;
  const error = body?.error;
  throw new ServerRefusal(
    error?.message ?? `the server answered ${response.status}`,
    error?.reason ?? 'UNKNOWN',
    response.status,
  );
}

/** `fetch`, or null when the connection closed without an answer (undici says only "fetch failed"). */
async function postFile(url: string, init: RequestInit): Promise<Response | null> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') throw error;
    return null;
  }
}
