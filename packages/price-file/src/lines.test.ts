import { describe, expect, it } from 'vitest';
import { lineBatches } from './lines.ts';
import { readPriceFile } from './read-price-file.ts';

async function linesOf(chunks: (string | Buffer)[]): Promise<string[]> {
  const all: string[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const batch of lineBatches(source(), () => {})) all.push(...batch.lines);
  return all;
}

/** Every way of cutting `text` in two chunks. */
function everySplit(text: string): [string, string][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('lineBatches', () => {
  it('splits on \\n, \\r\\n and a lone \\r alike', async () => {
    expect(await linesOf(['a\nb\r\nc\rd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(await linesOf(['a\rb\r'])).toEqual(['a', 'b']);
    // a blank line stays a line, so the consumer's line numbers stay right
    expect(await linesOf(['a\r\rb\r\n\r\nc'])).toEqual(['a', '', 'b', '', 'c']);
  });

  it('reads a \\r\\n cut between two chunks as one line end, wherever the cut falls', async () => {
    const text = 'date,close\r\n2024-01-01,1\r\n2024-01-02,2\r\n';
    for (const [a, b] of everySplit(text)) {
      expect(await linesOf([a, b])).toEqual(['date,close', '2024-01-01,1', '2024-01-02,2']);
    }
    const crOnly = 'date,close\r2024-01-01,1\r\r2024-01-02,2\r';
    for (const [a, b] of everySplit(crOnly)) {
      expect(await linesOf([Buffer.from(a), Buffer.from(b)])).toEqual([
        'date,close',
        '2024-01-01,1',
        '',
        '2024-01-02,2',
      ]);
    }
  });

  it('yields the lines of a CR-only file chunk by chunk, not all at the end', async () => {
    const batches: number[] = [];
    async function* source() {
      for (let i = 0; i < 3; i++) yield `2024-01-0${i + 1},${i}\r2024-01-1${i},${i}\r`;
    }
    for await (const batch of lineBatches(source(), () => {})) batches.push(batch.lines.length);
    expect(batches).toEqual([2, 2, 2]);
  });
});

describe('readPriceFile with CR-only line endings', () => {
  it('reads every row of a Macintosh CSV', async () => {
    const text = 'date,open,high,low,close,volume\r2024-01-01,1,2,0.5,1.5,10\r2024-01-02,1.5,2,1,1.8,11\r';
    async function* source() {
      yield text;
    }
    const file = await readPriceFile(source(), 'ETH-USD');
    expect(file.bars.map((b) => b.day)).toEqual(['2024-01-01', '2024-01-02']);
  });
});
