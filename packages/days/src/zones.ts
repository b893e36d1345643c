/** True when `zone` is a time zone Intl knows (IANA names such as 'America/Sao_Paulo', and 'UTC'). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An instant's wall clock in a zone, as 2-digit text parts (24-hour), with the zone's offset if asked. */
export type WallClock = {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  offset: string;
};

/**
 * A reader of instants' wall clocks in `zone` (one Intl formatter, made once). `offset` is 'GMT-3' style
 * when `withOffset` is set, else ''.
 */
export function wallClockIn(zone: string, withOffset = false): (date: Date) => WallClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(withOffset ? { timeZoneName: 'shortOffset' as const } : {}),
  });
  return (date) => {
    const byType = new Map(format.formatToParts(date).map((p) => [p.type, p.value]));
    const part = (type: Intl.DateTimeFormatPartTypes) => byType.get(type) ?? '';
    return {
      year: part('year'),
      month: part('month'),
      day: part('day'),
      hour: part('hour'),
      minute: part('minute'),
      offset: part('timeZoneName'),
    };
  };
}
