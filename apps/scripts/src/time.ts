/** The dashboard's default zone: the CLI shows times where the dashboard does unless told otherwise. */
export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

export type TimeFormat = {
  /** the IANA zone, e.g. America/Sao_Paulo */
  zone: string;
  /** '2026-12-07 18:39 UTC-3' (always with its zone) */
  dateTime(date: Date): string;
  /** the calendar day in the zone, '2026-12-07' */
  day(date: Date): string;
};

/** True when `zone` is a time zone Intl knows (IANA names, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Formats instants in `zone`; the offset is printed with every time ('UTC', 'UTC-3', 'UTC+5:30'). */
export function createTimeFormat(zone: string): TimeFormat {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  });
  const parts = (date: Date) => {
    const byType = new Map(format.formatToParts(date).map((p) => [p.type, p.value]));
    const offset = (byType.get('timeZoneName') ?? '').replace(/^GMT(\+0)?/, 'UTC');
    return {
      day: `${byType.get('year')}-${byType.get('month')}-${byType.get('day')}`,
      time: `${byType.get('hour')}:${byType.get('minute')}`,
      offset,
    };
  };
  return {
    zone,
    dateTime(date) {
      const p = parts(date);
      return `${p.day} ${p.time} ${p.offset}`;
    },
    day: (date) => parts(date).day,
  };
}
