import { isTimeZone } from '@ethcast/days';
import { renderTemplate } from '@ethcast/server/template';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en, type MessageKey, ptBR } from './messages.ts';

export type Locale = 'en' | 'pt-BR';
export const locales: { value: Locale; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'pt-BR', label: 'Português (Brasil)' },
];
/** The legacy application showed every date in São Paulo time. */
export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'pt-BR': ptBR };
const LOCALE_KEY = 'ethcast.locale';
const ZONE_KEY = 'ethcast.timeZone';

function storedLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'pt-BR') return saved;
  return navigator.language.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en';
}

export const isValidTimeZone = isTimeZone;

function storedTimeZone(): string {
  const saved = localStorage.getItem(ZONE_KEY);
  return saved && isValidTimeZone(saved) ? saved : DEFAULT_TIME_ZONE;
}

export type Vars = Record<string, string | number>;

export type I18n = {
  locale: Locale;
  setLocale(locale: Locale): void;
  timeZone: string;
  setTimeZone(zone: string): void;
  t(key: MessageKey, vars?: Vars): string;
  // Every formatter shows "—" (common.none) for a value that does not exist or is not valid, rather
  // than throwing: rows taken over from the legacy backend lack fields (no bands, no price day).
  /** an instant (audit rows, forecast creation) in the chosen time zone */
  dateTime(date: Date | null | undefined): string;
  /** a calendar day 'YYYY-MM-DD' (prices), never shifted by a time zone */
  day(day: string | null | undefined): string;
  number(value: number | null | undefined, digits?: number): string;
  money(value: number | null | undefined): string;
  percent(value: number | null | undefined, digits?: number): string;
};

const isNumber = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

const I18nContext = createContext<I18n | null>(null);

/**
 * Fills `{name}` placeholders; `{name:singular|plural}` picks a form by the number in `name` under
 * `locale`'s plural rules (the forms may hold placeholders too). The syntax and its one implementation are
 * the error catalogues' (`renderTemplate`), so a server template and a screen message read alike.
 */
export function interpolate(locale: Locale, text: string, vars: Vars = {}): string {
  return renderTemplate(text, vars, locale);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const [timeZone, setTimeZoneState] = useState<string>(storedTimeZone);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(LOCALE_KEY, next);
    setLocaleState(next);
  }, []);
  const setTimeZone = useCallback((zone: string) => {
    if (!isValidTimeZone(zone)) return;
    localStorage.setItem(ZONE_KEY, zone);
    setTimeZoneState(zone);
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = dictionaries[locale];
    const dateTimeFormat = new Intl.DateTimeFormat(locale, {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const dayFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
    const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
    const none = dict['common.none'];
    return {
      locale,
      setLocale,
      timeZone,
      setTimeZone,
      t: (key, vars) => interpolate(locale, dict[key], vars),
      dateTime: (date) => (date && !Number.isNaN(date.getTime()) ? dateTimeFormat.format(date) : none),
      day: (day) => {
        const date = day ? new Date(`${day}T00:00:00Z`) : null;
        return date && !Number.isNaN(date.getTime()) ? dayFormat.format(date) : none;
      },
      number: (n, digits = 2) =>
        isNumber(n)
          ? n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
          : none,
      money: (n) => (isNumber(n) ? money.format(n) : none),
      percent: (n, digits = 0) =>
        isNumber(n)
          ? n.toLocaleString(locale, {
              style: 'percent',
              minimumFractionDigits: digits,
              maximumFractionDigits: digits,
            })
          : none,
    };
  }, [locale, timeZone, setLocale, setTimeZone]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside <I18nProvider>');
  return value;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds to add to UTC to get wall-clock time in `zone` at `instant`, read from Intl's "GMT-03:00". */
function zoneOffset(instant: number, zone: string): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const [, sign, hours = '0', minutes = '0', seconds = '0'] =
    /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name) ?? [];
  const size = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000;
  return sign === '-' ? -size : size; // plain "GMT" is UTC itself
}

/** The first instant at which the wall clock in `zone` reads `midnight` (a wall-clock time written as UTC). */
function firstInstantAt(midnight: number, zone: string): number {
  // No zone changes its offset twice within two days, so midnight has the offset of the day before or after.
  const before = zoneOffset(midnight - DAY, zone);
  const after = zoneOffset(midnight + DAY, zone);
  const readings = [midnight - before, midnight - after].filter((t) => zoneOffset(t, zone) === midnight - t);
  // two readings when clocks went back over midnight: the day starts at the first
  if (readings.length > 0) return Math.min(...readings);
  // none when clocks jumped over midnight (São Paulo until 2018): the day starts at the jump
  let early = midnight - after; // still on the old offset
  let late = midnight - before; // already on the new one
  while (late - early > MINUTE) {
    const mid = early + Math.floor((late - early) / 2 / MINUTE) * MINUTE;
    if (zoneOffset(mid, zone) === before) early = mid;
    else late = mid;
  }
  return late;
}

/** The instant a calendar day 'YYYY-MM-DD' starts (or, with endOfDay, its last millisecond) in `zone`. */
export function zonedDayBoundary(day: string, zone: string, endOfDay = false): Date {
  const [y, m, d] = day.split('-').map(Number);
  const start = firstInstantAt(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + (endOfDay ? 1 : 0)), zone);
  return new Date(endOfDay ? start - 1 : start);
}
