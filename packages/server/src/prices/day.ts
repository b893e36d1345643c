/** UTC calendar days as 'YYYY-MM-DD' strings and as integer day numbers (days since 1970-01-01). */

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a 'YYYY-MM-DD' string, or null if it is not a real calendar date. */
export function dayNumber(day: string): number | null {
  const match = DAY_PATTERN.exec(day);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const date = Number(match[3]);
  if (month < 1 || month > 12 || date < 1 || date > 31) return null;
  const ms = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2023-02-30 over to March: a real date survives the round trip.
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return ms / MS_PER_DAY;
}

export const isValidDay = (day: string) => dayNumber(day) !== null;

export const dayFromNumber = (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);

/** The UTC day containing an instant given in epoch milliseconds. */
export const dayNumberOfMs = (ms: number) => Math.floor(ms / MS_PER_DAY);

export const msOfDayNumber = (n: number) => n * MS_PER_DAY;

export const todayNumber = (now: Date) => dayNumberOfMs(now.getTime());

export const addDays = (day: string, n: number) => {
  const number = dayNumber(day);
  if (number === null) throw new Error(`not a day: ${day}`);
  return dayFromNumber(number + n);
};
