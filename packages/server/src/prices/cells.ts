/** The cell at `index` of an unquoted line (trimmed), or null: a cheap look at the symbol column. */
export function cellAt(line: string, delimiter: string, index: number): string | null {
  if (line.includes('"')) return null;
  let start = 0;
  for (let k = 0; k < index; k++) {
    const at = line.indexOf(delimiter, start);
    if (at < 0) return null;
    start = at + 1;
  }
  const end = line.indexOf(delimiter, start);
  const cell = end < 0 ? line.slice(start) : line.slice(start, end);
  return cell.trim();
}
