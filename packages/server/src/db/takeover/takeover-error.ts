/** One legacy value the takeover cannot convert. */
export type RowProblem = {
  table: string;
  /** the row's id as text (null when the id itself is missing) */
  id: string | null;
  column: string;
  /** the offending value as shown in the message (JSON-quoted, shortened; withheld for passwords) */
  shown: string;
  problem: string;
};

/**
 * Why a takeover stopped. It is thrown inside the migration transaction, which then rolls back: the
 * message says so, because nothing was changed. Never reaches an API client (migrations run at start
 * and in `pnpm db:migrate`), so it is not one of the domain error reasons.
 */
export class LegacyTakeoverError extends Error {
  override readonly name = 'LegacyTakeoverError';
  readonly problems: RowProblem[];

  constructor(detail: string, problems: RowProblem[] = []) {
    super(`legacy takeover stopped, nothing was changed: ${detail}`);
    this.problems = problems;
  }

  static forRows(problems: RowProblem[]): LegacyTakeoverError {
    const [first, ...rest] = problems as [RowProblem, ...RowProblem[]];
    const more = rest.length
      ? ` (${rest.length} more: ${rest
          .slice(0, 5)
          .map((p) => `${p.table} id ${p.id ?? '(none)'} ${p.column}`)
          .join(', ')}${rest.length > 5 ? ', …' : ''})`
      : '';
    return new LegacyTakeoverError(
      `${first.table} id ${first.id ?? '(none)'}: ${first.column} ${first.shown} ${first.problem}${more}. Fix ${problems.length === 1 ? 'it' : 'them'} in the legacy database and run the migrations again.`,
      problems,
    );
  }
}

/** A value as quoted in a message: JSON text, at most 80 characters. */
export function showValue(value: string | null): string {
  if (value === null) return 'null';
  const quoted = JSON.stringify(value);
  return quoted.length <= 80 ? quoted : `${quoted.slice(0, 77)}…"`;
}
