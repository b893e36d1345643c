import { StringDecoder } from 'node:string_decoder';

export type LineBatch = {
  lines: string[];
  /** no line holds a quote, a space or a tab: its cells need neither csv-parse nor trimming */
  plain: boolean;
};

/** One search per chunk rather than three per line. */
const NOT_PLAIN = /["\t ]/;

/**
 * Splits a byte stream into lines, yielding one batch of lines per chunk (blank lines included, so that
 * the consumer can number them). `onBytes` sees each chunk's size, for progress.
 */
export async function* lineBatches(
  stream: AsyncIterable<Buffer | string>,
  onBytes: (n: number) => void,
): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  for await (const chunk of stream) {
    onBytes(chunk.length);
    let text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (first && text.length > 0) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    // the carried partial line is tested again with the next chunk
    yield { lines: stripCarriageReturns(lines), plain: !NOT_PLAIN.test(text) };
  }
  const rest = carry + decoder.end();
  if (rest) yield { lines: stripCarriageReturns([rest]), plain: !NOT_PLAIN.test(rest) };
}

function stripCarriageReturns(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}
