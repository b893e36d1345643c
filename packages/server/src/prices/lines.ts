import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines, yielding one array of lines per chunk (blank lines included, so that
 * the consumer can number them). `onBytes` sees each chunk's size, for progress.
 */
export async function* lineBatches(
  stream: AsyncIterable<Buffer | string>,
  onBytes: (n: number) => void,
): AsyncGenerator<string[]> {
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
    yield stripCarriageReturns(lines);
  }
  const rest = carry + decoder.end();
  if (rest) yield stripCarriageReturns([rest]);
}

function stripCarriageReturns(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}
