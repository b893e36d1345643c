import { z } from 'zod';
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import type { ImportReport } from '../prices/import.ts';
import { PRICE_IMPORT_PATH, queryShape } from '../prices/import-route.ts';

export { PRICE_IMPORT_PATH };

const day = z.iso.date().meta({ example: '2026-03-31' });
const badRow = z.object({ line: z.number().int().min(1), reason: z.string() });

const importReportSchema = z
  .object({
    format: z.enum(['plain', 'yahoo', 'yfinance', 'coinmarketcap', 'kline', 'csv']),
    source: z.string().meta({ example: 'file:eth-usd.csv' }),
    rowsRead: z.number().int().min(0).meta({ example: 365 }),
    inserted: z.number().int().min(0).meta({ example: 360 }),
    updated: z.number().int().min(0).meta({ example: 2 }),
    unchanged: z.number().int().min(0).meta({ example: 3 }),
    skipped: z.number().int().min(0).meta({ example: 0 }),
    firstDay: day.nullable(),
    lastDay: day.nullable(),
    missingDays: z.number().int().min(0),
    symbols: z.array(
      z.object({
        symbol: z.string().meta({ example: 'ETH-USD' }),
        rows: z.number().int().min(0),
        firstDay: day,
        lastDay: day,
        missingDays: z.number().int().min(0),
        missingSample: z.array(day),
      }),
    ),
    changes: z
      .array(z.object({ symbol: z.string(), day, oldClose: z.number(), newClose: z.number() }))
      .meta({ description: 'the first few replaced days, with the old and the new close' }),
    badRows: z.array(badRow).meta({ description: 'the first few rejected rows (skipped with skipBad=true)' }),
  })
  .meta({ id: 'PriceImportReport' });

// The schema and the importer's type say the same (the compiler checks both directions).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const reportMatches: Same<z.infer<typeof importReportSchema>, ImportReport> = true;
void reportMatches;

const importError = z
  .object({
    error: z.object({
      reason: z.string().meta({ example: 'PRICE_FILE_INVALID' }),
      message: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
      badRows: z.array(badRow).optional(),
      badCount: z.number().int().min(0).optional(),
    }),
  })
  .meta({ id: 'PriceImportError' });

const failure = (description: string) => ({
  description,
  content: { 'application/json': { schema: importError } },
});

/** `POST /api/prices/import` (prices/import-route.ts): a CSV file streamed as the body. */
export const priceImportOperation: ZodOpenApiOperationObject = {
  tags: ['prices'],
  summary: 'Import a daily price CSV (admins)',
  description: `What \`pnpm ethcast prices:import <file>\` sends while a server runs. The body is the file itself (\`text/csv\` or \`application/octet-stream\`), read as it arrives: any length, all or nothing (with \`skipBad=true\`: the good rows, the bad ones listed). Accepted layouts: \`date,open,high,low,close,volume\`, Yahoo Finance / yfinance, CoinMarketCap (\`;\`-separated), exchange klines. Needs the bearer token of an admin; the import is written to the audit log in the same transaction as the rows. Sent to \`${PRICE_IMPORT_PATH}\` only (no trailing-slash twin).`,
  operationId: 'postApiPricesImport',
  security: [{ bearer: [] }],
  requestParams: { query: queryShape },
  requestBody: {
    required: true,
    content: {
      'text/csv': {
        schema: z.string().meta({
          example:
            'date,open,high,low,close,volume\n2026-03-30,1790.12,1835.5,1781.9,1812.44,412345.7\n2026-03-31,1812.44,1840.02,1800.1,1823.07,398112.3\n',
        }),
      },
      'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
    },
  },
  responses: {
    '200': {
      description: 'Imported: the report',
      content: { 'application/json': { schema: importReportSchema } },
    },
    '400': failure('A query parameter is invalid (`INVALID_INPUT`), or a JSON body cannot be read'),
    '401': failure('No live bearer session (`UNAUTHENTICATED`)'),
    '403': failure('Signed in, not an admin (`ADMIN_ONLY`)'),
    '413': failure('A JSON body larger than 1 MB (`REQUEST_TOO_LARGE`)'),
    '415': failure('A content type the route does not read (`UNSUPPORTED_MEDIA_TYPE`): send text/csv'),
    '422': failure(
      'The file was refused; nothing was written (`PRICE_FILE_INVALID`, with the first bad rows)',
    ),
    '503': failure(
      'The database cannot be reached (`DATABASE_UNAVAILABLE`); `Retry-After` says when to retry',
    ),
  },
};
