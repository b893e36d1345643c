/**
 * UTC calendar days as 'YYYY-MM-DD' strings and as integer day numbers (days since 1970-01-01): the one
 * place the server, the forecast library, the client and the dashboard do day arithmetic.
 */

export const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `count` ASCII digits of `text` from `start`, or -1 if one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil): exact
 * integer arithmetic, no Date object.
 */
function daysFromCivil(year: number, month: number, date: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + date - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The day number of a 'YYYY-MM-DD' string (years 0001–9999), or null if it is not a real calendar
 * date. Read by character codes, no regex and no Date: the importer calls this once per row and history
 * validation once per day of every forecast request.
 */
export function dayNumber(day: string): number | null {
  if (day.length !== 10 || day.charCodeAt(4) !== 45 || day.charCodeAt(7) !== 45) return null;
  const year = digitsAt(day, 0, 4);
  const month = digitsAt(day, 5, 2);
  const date = digitsAt(day, 8, 2);
  if (year < 1 || month < 1 || month > 12 || date < 1) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (date > daysInMonth) return null;
  return daysFromCivil(year, month, date);
}

export const isDay = (day: string) => dayNumber(day) !== null;

export const dayFromNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The UTC day containing an instant given in epoch milliseconds. */
export const dayNumberOfMs = (ms: number) => Math.floor(ms / DAY_MS);

export const msOfDayNumber = (n: number) => n * DAY_MS;

export const todayNumber = (now: Date) => dayNumberOfMs(now.getTime());

/** 'YYYY-MM-DD' plus n calendar days (n may be negative); throws on a string that is not a day. */
export const addDays = (day: string, n: number) => {
  const number = dayNumber(day);
  if (number === null) throw new Error(`not a day: ${day}`);
  return dayFromNumber(number + n);
};
export { isTimeZone, type WallClock, wallClockIn } from './zones.ts';
