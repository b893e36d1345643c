import type { Readable } from 'node:stream';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DomainError, fail } from '../domain/errors.ts';
import { resolveViewer } from '../http-viewer.ts';
import type { Services } from '../services.ts';
import { toTRPCError } from '../trpc.ts';
import { importPriceFile } from '../usecases/prices.ts';
import { requireAdmin } from '../usecases/viewer.ts';
import { PriceImportError } from './import.ts';

/** The route `pnpm ethcast prices:import` streams a file to while a server runs. */
export const PRICE_IMPORT_PATH = '/api/prices/import';

export const queryShape = z.strictObject({
  symbol: z.string().trim().max(40).optional(),
  skipBad: z.enum(['true', 'false']).optional(),
  /** the file's name, for `prices.source` and the report (`file:<name>`) */
  name: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^/\\\0]+$/, 'must be a file name without folders')
    .optional(),
});

/**
 * `POST /api/prices/import?symbol=ETH-USD&skipBad=true&name=eth.csv`, body: the CSV (text/csv or
 * application/octet-stream), `Authorization: Bearer <admin token>`. The body is parsed as it arrives
 * (no size limit: files of any length, memory bounded by the importer's batches), with the same
 * all-or-nothing and skip-bad rules as a direct import. Answers the import report, or
 * `{ error: { reason, message, params, badRows } }`. A plain route, not a tRPC procedure: tRPC reads
 * the whole body before the procedure runs.
 */
export async function registerPriceImportRoute(app: FastifyInstance, services: Services) {
  await app.register(async (scope) => {
    // Only this route takes raw bodies; everywhere else the 1 MB JSON limit stays.
    scope.addContentTypeParser(['text/csv', 'application/octet-stream'], (_req, payload, done) =>
      done(null, payload),
    );
    // Fastify's own refusals before the handler (a content type it cannot read, an oversized or broken
    // JSON body) in this route's error shape, not Fastify's.
    scope.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
      const status = error.statusCode ?? 500;
      if (status < 400 || status >= 500) throw error;
      const reason =
        status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : status === 413
            ? 'REQUEST_TOO_LARGE'
            : 'MALFORMED_REQUEST';
      const message = status === 415 ? 'send the file as text/csv' : 'the request could not be read';
      return reply.code(status).send({ error: { reason, message, params: {} } });
    });
    scope.post(PRICE_IMPORT_PATH, async (req, reply) => {
      try {
        // Bearer only: a browser never sends one by itself, so a foreign page cannot post a file here
        // (the session cookie is ignored: UNAUTHENTICATED).
        const viewer = await resolveViewer(services, req, { credentials: 'bearer' });
        requireAdmin(viewer);
        const query = queryShape.safeParse(req.query);
        if (!query.success) {
          const issue = query.error.issues[0];
          fail('INVALID_INPUT', { field: issue?.path.join('.') ?? '', detail: issue?.message ?? '' });
        }
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') {
          fail('PRICE_FILE_INVALID', { detail: 'send the file as text/csv' });
        }
        const { symbol, skipBad, name } = query.data;
        const report = await importPriceFile(services, viewer, {
          file: body as Readable,
          ...(symbol ? { symbol } : {}),
          skipBad: skipBad === 'true',
          source: `file:${name ?? 'upload'}`,
        });
        return reply.send(report);
      } catch (error) {
        // A connection cut meanwhile (a body timeout, the client gone) has nobody to answer.
        if (req.raw.socket.destroyed) return reply.hijack();
        await drain(req.raw);
        if (req.raw.socket.destroyed) return reply.hijack();
        return sendError(reply, error);
      }
    });
  });
}

/**
 * Reads the rest of a refused upload, so the client gets the answer instead of a reset connection. Pulls
 * with `read()`: the importer's async iterator may still listen for 'readable', which makes `resume()` a
 * no-op. The body timeouts (http-limits.ts) bound how long a client can make this wait.
 */
async function drain(stream: Readable) {
  if (stream.destroyed || stream.readableEnded) return;
  await new Promise<void>((resolve) => {
    const pull = () => {
      while (stream.read() !== null) {}
    };
    const done = () => {
      stream.off('readable', pull);
      resolve();
    };
    stream.once('end', done);
    stream.once('error', done);
    stream.once('close', done);
    stream.on('readable', pull);
    pull();
  });
}

function sendError(reply: FastifyReply, error: unknown) {
  if (error instanceof PriceImportError) {
    return reply.code(422).send({
      error: {
        reason: 'PRICE_FILE_INVALID',
        message: error.message,
        params: { detail: error.message },
        badRows: error.badRows,
        badCount: error.badCount,
      },
    });
  }
  if (error instanceof DomainError) {
    const retryAfter = error.params.retryAfterSeconds;
    if (typeof retryAfter === 'number' && retryAfter > 0)
      reply.header('retry-after', String(Math.ceil(retryAfter)));
    return reply
      .code(getHTTPStatusCodeFromError(toTRPCError(error)))
      .send({ error: { reason: error.reason, message: error.message, params: error.params } });
  }
  throw error; // the app's error handler: a 500 without details, logged
}
