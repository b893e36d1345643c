import type { DailyBar } from '../../types.ts';
import { detectFormat, emptyRowFields, type FormatName, readRecord, splitLine } from './formats.ts';
import { lineBatches } from './lines.ts';

export type PriceFile = { format: FormatName; bars: DailyBar[] };

/**
 * Reads a whole daily price file in any format the server's importer accepts (see ./formats.ts) for one
 * symbol: rows of other symbols are left out when the file has a symbol column. The bars come back in day
 * order; the first bad row throws `line N: reason`, with the importer's reasons.
 */
export async function readPriceFile(
  input: AsyncIterable<Buffer | string>,
  symbol: string,
): Promise<PriceFile> {
  const wanted = symbol.trim().toUpperCase();
  const batches = lineBatches(input, () => {});
  const head: string[][] = [];
  const firstLines: string[] = [];
  while (firstLines.length < 4) {
    const next = await batches.next();
    if (next.done) break;
    head.push(next.value.lines);
    for (const line of next.value.lines) if (line.trim() && firstLines.length < 4) firstLines.push(line);
  }
  const format = detectFormat(firstLines);
  const fields = emptyRowFields();
  const bars: DailyBar[] = [];
  const others = new Set<string>();
  let headerLeft = format.headerRecords;
  let lineNo = 0;
  const read = (lines: string[]) => {
    for (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      if (headerLeft > 0) {
        headerLeft--;
        continue;
      }
      const record = splitLine(line, format.delimiter);
      const reason = typeof record === 'string' ? record : readRecord(format, record, fields);
      if (reason !== null) throw new Error(`line ${lineNo}: ${reason}`);
      if (fields.symbolCell !== null) {
        const cellSymbol = fields.symbolCell.toUpperCase();
        if (cellSymbol !== wanted) {
          others.add(cellSymbol);
          continue;
        }
      }
      const bar: DailyBar = {
        day: fields.day,
        open: Number(fields.open),
        high: Number(fields.high),
        low: Number(fields.low),
        close: Number(fields.close),
      };
      if (fields.volume !== null) bar.volume = Number(fields.volume);
      bars.push(bar);
    }
  };
  for (const lines of head) read(lines);
  for await (const batch of batches) read(batch.lines);
  if (bars.length === 0) {
    throw new Error(
      others.size > 0
        ? `no ${wanted} rows (the file holds ${[...others].sort().join(', ')})`
        : 'the file has no price rows',
    );
  }
  bars.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (let i = 1; i < bars.length; i++) {
    if (bars[i]?.day === bars[i - 1]?.day) throw new Error(`duplicate day ${bars[i]?.day} in this file`);
  }
  return { format: format.name, bars };
}
