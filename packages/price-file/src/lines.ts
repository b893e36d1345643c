import { StringDecoder } from 'node:string_decoder';

export type LineBatch = {
  lines: string[];
  /** no line holds a quote, a space or a tab: its cells need neither csv-parse nor trimming */
  plain: boolean;
};

/** One search per chunk rather than three per line. */
const NOT_PLAIN = /["\t ]/;

/** \r\n (Windows), \n (Unix) and a lone \r (Excel's "CSV (Macintosh)", classic Mac OS) all end a line. */
const LINE_END = /\r\n?|\n/;

const LF = 10;

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
  // The chunk before ended with \r: a \n starting this one belongs to the same line end.
  let afterCR = false;
  for await (const chunk of stream) {
    onBytes(chunk.length);
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length === 0) continue;
    if (afterCR) {
      if (text.charCodeAt(0) === LF) text = text.slice(1);
      afterCR = false;
    }
    text = carry + text;
    if (first && text.length > 0) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    // Most files end lines with \n alone: the plain split is the fast path.
    const lines = text.includes('\r') ? text.split(LINE_END) : text.split('\n');
    carry = lines.pop() ?? '';
    afterCR = carry === '' && text.endsWith('\r');
    // the carried partial line is tested again with the next chunk
    yield { lines, plain: !NOT_PLAIN.test(text) };
  }
  const rest = carry + decoder.end();
  if (rest) yield { lines: [rest], plain: !NOT_PLAIN.test(rest) };
}
