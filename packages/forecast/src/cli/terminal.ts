/** Terminal output shared by the forecast CLI (pnpm train / pnpm backtest) and `pnpm ethcast`. */

/** A one-line progress bar on a terminal's stderr, redrawn at most every 100 ms; silent elsewhere. */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 30) {
  const enabled = stream.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(fraction: number | null, label: string) {
      if (!enabled) return;
      const now = Date.now();
      if (now - lastDraw < 100 && fraction !== 1) return;
      lastDraw = now;
      drawn = true;
      const bar =
        fraction === null
          ? ''
          : `[${'#'.repeat(Math.round(Math.min(1, fraction) * width)).padEnd(width, '.')}] ${Math.floor(
              Math.min(1, fraction) * 100,
            )
              .toString()
              .padStart(3)}% `;
      stream.write(`\r${bar}${label}\u001b[K`);
    },
    done() {
      if (enabled && drawn) stream.write('\r\u001b[K');
    },
  };
}

export type TableOptions = {
  /** per column; missing ones are left-aligned */
  align: readonly ('left' | 'right')[];
  /** a line of dashes under the header (default true) */
  rule?: boolean;
};

/** Rows of cells as aligned columns two spaces apart, under their header. */
export function renderTable(
  header: readonly string[],
  rows: readonly string[][],
  options: TableOptions,
): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((width, i) => {
        const cell = cells[i] ?? '';
        return options.align[i] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = options.rule === false ? [] : [line(widths.map((w) => '-'.repeat(w)))];
  return [line(header), ...rule, ...rows.map(line)].join('\n');
}

/** Records as a table of the given columns (default: the first record's keys); numbers right-aligned. */
export function formatTable(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  return renderTable(
    cols,
    rows.map((r) => cols.map((c) => cell(r[c]))),
    { align: numeric.map((n) => (n ? 'right' : 'left')) },
  );
}
