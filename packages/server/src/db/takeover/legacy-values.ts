/**
 * The legacy backend's values, parsed strictly. Each function returns the converted value or a
 * `problem` sentence; nothing here touches the database, so every rule is testable on its own.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (problem: string): Checked<never> => ({ ok: false, problem });

/** `dd/mm/YYYY_HHhMM`, as Python's `strftime("%d/%m/%Y_%Hh%M")` wrote it (São Paulo local time). */
export const LEGACY_DATE_PATTERN = /^(\d{2})\/(\d{2})\/(\d{4})_(\d{2})h(\d{2})$/;

export type LocalDateTime = { year: number; month: number; day: number; hour: number; minute: number };

/**
 * Checks a legacy text date and returns its local fields. The conversion to an instant is left to
 * PostgreSQL (`AT TIME ZONE 'America/Sao_Paulo'`), whose time-zone rules know Brazil's daylight saving
 * time (until 2019), so the SQL that converts and this check agree on which texts are dates.
 */
export function checkLegacyDate(text: string | null): Checked<LocalDateTime> {
  if (text === null || text.trim() === '') return bad('is empty');
  const match = LEGACY_DATE_PATTERN.exec(text.trim());
  if (!match) return bad('is not a dd/mm/YYYY_HHhMM date');
  const [day, month, year, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || !isCalendarDay(year, month, day)) return bad('is not a calendar day');
  if (hour > 23 || minute > 59) return bad('is not a time of day');
  return ok({ year, month, day, hour, minute });
}

/** `YYYY-MM-DD` of a real calendar day. */
export function checkIsoDay(text: unknown): Checked<string> {
  if (typeof text !== 'string') return bad('has no "date" text');
  // pandas' str(Timestamp) adds a midnight time: the same day
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$/.exec(text.trim());
  if (!match) return bad(`has a "date" that is not YYYY-MM-DD`);
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < 1 || !isCalendarDay(year, month, day)) return bad('has a "date" that is not a calendar day');
  return ok(`${match[1]}-${match[2]}-${match[3]}`);
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A forecast point as the takeover stores it: Ethcast's day and value, no bands (none were made). */
export type ConvertedPoint = { day: string; value: number } & Record<string, unknown>;

/**
 * The legacy `forecast_result` text (a JSON list of `{date, predicted_value}`) in Ethcast's shape.
 * Keys other than those two are kept as they are (they were the legacy backend's to define); bands
 * are not invented. null stays null.
 */
export function convertLegacyPoints(text: string | null): Checked<ConvertedPoint[] | null> {
  if (text === null) return ok(null);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return bad('is not JSON');
  }
  if (parsed === null) return ok(null);
  if (!Array.isArray(parsed)) return bad('is not a list of points');
  const points: ConvertedPoint[] = [];
  for (const [index, point] of parsed.entries()) {
    const where = `point ${index + 1}`;
    if (typeof point !== 'object' || point === null || Array.isArray(point)) {
      return bad(`${where} is not an object`);
    }
    const { date, predicted_value: value, ...rest } = point as Record<string, unknown>;
    const day = checkIsoDay(date);
    if (!day.ok) return bad(`${where} ${day.problem}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return bad(`${where} has no numeric "predicted_value"`);
    }
    points.push({ ...rest, day: day.value, value });
  }
  return ok(points);
}

/** bcrypt in modular crypt format, any of the variants Python's and Node's libraries write. */
export const BCRYPT_HASH_PATTERN = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** A bounded text column: present when required, and no longer than Ethcast's varchar. */
export function checkText(
  text: string | null,
  rule: { required: boolean; maxLength: number },
): Checked<string | null> {
  if (text === null || (rule.required && text.trim() === '')) {
    return rule.required ? bad('is empty') : ok(text);
  }
  if ([...text].length > rule.maxLength) return bad(`is longer than ${rule.maxLength} characters`);
  return ok(text);
}
