/**
 * The order every symbol list is shown in: ETH-USD (the product's subject) first, then the others
 * alphabetically. One comparator, so the dashboard, the API and the CLI agree.
 */
export const PRIMARY_SYMBOL = 'ETH-USD';

export function compareSymbols(a: string, b: string): number {
  if (a === b) return 0;
  if (a === PRIMARY_SYMBOL) return -1;
  if (b === PRIMARY_SYMBOL) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `items` in symbol order; items of one symbol keep their relative order (stable sort). */
export function sortBySymbol<T extends { symbol: string }>(items: readonly T[]): T[] {
  return [...items].sort((x, y) => compareSymbols(x.symbol, y.symbol));
}
