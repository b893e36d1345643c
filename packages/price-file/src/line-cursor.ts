import type { LineBatch } from './lines.ts';

/**
 * The importer's position in the input: the batch of lines being read (one per chunk of the file), the
 * next line's index in it, and batches read early (by `firstLines` and `peek`) that are read again.
 */
export class LineCursor {
  private batch: LineBatch = { lines: [], plain: true };
  private index = 0;
  private readonly ahead: LineBatch[] = [];

  constructor(private readonly source: AsyncIterator<LineBatch>) {}

  /** whether the current batch's lines need neither csv-parse nor trimming (see LineBatch) */
  get plain(): boolean {
    return this.batch.plain;
  }

  /** The next line of the current batch; undefined when it is used up (then `nextBatch`). */
  take(): string | undefined {
    return this.index < this.batch.lines.length ? this.batch.lines[this.index++] : undefined;
  }

  /** Moves on to the next batch; false at the end of the input. */
  async nextBatch(): Promise<boolean> {
    const next = this.ahead.shift() ?? (await this.read());
    if (next === null) return false;
    this.batch = next;
    this.index = 0;
    return true;
  }

  /** after `firstLines`: the line number of the first non-blank line (1 when there is none) */
  firstLineNumber = 1;

  /** Before anything is taken: the first `count` non-blank lines (fewer if the input has fewer). */
  async firstLines(count: number): Promise<string[]> {
    const found: string[] = [];
    let lineNo = 0;
    while (found.length < count) {
      const next = await this.read();
      if (next === null) break;
      this.ahead.push(next);
      for (const line of next.lines) {
        lineNo++;
        if (!line.trim() || found.length >= count) continue;
        if (found.length === 0) this.firstLineNumber = lineNo;
        found.push(line);
      }
    }
    return found;
  }

  /** Shows `visit` the next `count` lines (fewer at the end of the input), reading batches ahead as needed. */
  async peek(count: number, visit: (line: string) => void): Promise<void> {
    let left = count;
    const scan = (lines: string[], from: number) => {
      for (let i = from; i < lines.length && left > 0; i++, left--) visit(lines[i] as string);
    };
    scan(this.batch.lines, this.index);
    for (const next of this.ahead) scan(next.lines, 0);
    while (left > 0) {
      const next = await this.read();
      if (next === null) break;
      this.ahead.push(next);
      scan(next.lines, 0);
    }
  }

  private async read(): Promise<LineBatch | null> {
    const next = await this.source.next();
    return next.done ? null : next.value;
  }
}
