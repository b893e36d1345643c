import { type CommandContext, givenFields, positiveIntOption } from './command.ts';

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** A command's result: as JSON with --json, else as the text `describe` makes of it. */
export function printResult<T>(ctx: CommandContext, result: T, describe: (result: T) => string): void {
  if (ctx.json) printJson(result);
  else console.log(describe(result));
}

/** A page of a list: as JSON, or as `table` and the option that reads the next page. */
export function printPage(
  ctx: CommandContext,
  page: { nextCursor?: number | null },
  table: () => string,
): void {
  printResult(ctx, page, table);
  if (page.nextCursor && !ctx.json) console.log(`more: --cursor ${page.nextCursor}`);
}

/** A list command's --limit (defaultLimit when absent) and --cursor, as the fields of its page query. */
export function pageFields(
  values: { limit?: string | undefined; cursor?: string | undefined },
  defaultLimit: number,
  usage: string,
): { limit: number; cursor?: number } {
  return {
    limit: positiveIntOption(values.limit, 'limit', usage) ?? defaultLimit,
    ...givenFields({ cursor: positiveIntOption(values.cursor, 'cursor', usage) }),
  };
}
