import { isTimeZone, wallClockIn } from '@ethcast/days';
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

export { isTimeZone };

/** Formats instants in `zone`; the offset is printed with every time ('UTC', 'UTC-3', 'UTC+5:30'). */
export function createTimeFormat(zone: string): TimeFormat {
  const wallClock = wallClockIn(zone, true);
  const parts = (date: Date) => {
    const c = wallClock(date);
    return {
      day: `${c.year}-${c.month}-${c.day}`,
      time: `${c.hour}:${c.minute}`,
      offset: c.offset.replace(/^GMT(\+0)?/, 'UTC'),
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
