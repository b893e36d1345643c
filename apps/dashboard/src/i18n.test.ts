import { fieldCodes, type Reason, reasons } from '@ethcast/server/errors';
import { describe, expect, it } from 'vitest';
import { fieldIssueText, reasonText } from './error-text.ts';
import { interpolate, type Vars, zonedDayBoundary } from './i18n.tsx';
import { en, type MessageKey, ptBR } from './messages.ts';

describe('messages', () => {
  it('translates every English key into Brazilian Portuguese with the same placeholders', () => {
    // variables used, as {name} or as {name:singular|plural}
    const placeholders = (text: string) =>
      [...new Set([...text.matchAll(/\{(\w+)[:}]/g)].map((m) => m[1]))].sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ptBR[key], key).toBeTruthy();
      expect(placeholders(ptBR[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('en', 'Hi {name}, {n} new', { name: 'Ana', n: 3 })).toBe('Hi Ana, 3 new');
    expect(interpolate('en', 'Hi {name}')).toBe('Hi {name}');
  });

  it('picks singular or plural forms by the CLDR rules of the language, with placeholders inside the forms', () => {
    const known = (n: number) => interpolate('en', '{n} {n:day|days} known', { n });
    expect([known(0), known(1), known(2), known(30)]).toEqual([
      '0 days known',
      '1 day known',
      '2 days known',
      '30 days known',
    ]);
    // Brazilian Portuguese puts 0 with 1 (CLDR: "one" is i = 0..1)
    const conhecidos = (n: number) => interpolate('pt-BR', '{n} {n:dia conhecido|dias conhecidos}', { n });
    expect([conhecidos(0), conhecidos(1), conhecidos(2), conhecidos(30)]).toEqual([
      '0 dia conhecido',
      '1 dia conhecido',
      '2 dias conhecidos',
      '30 dias conhecidos',
    ]);
    const window = (n: number) => interpolate('pt-BR', 'Olha {n:o último dia|os últimos {n} dias}', { n });
    expect(window(1)).toBe('Olha o último dia');
    expect(window(60)).toBe('Olha os últimos 60 dias');
    // an unknown variable leaves the whole choice visible
    expect(interpolate('en', '{x:a|b}')).toBe('{x:a|b}');
  });

  it('writes no number into a singular form, which in pt-BR also serves 0', () => {
    for (const [key, text] of Object.entries(ptBR)) {
      for (const [, one = ''] of text.matchAll(/\{\w+:([^|{}]*(?:\{\w+\}[^|{}]*)*)\|/g)) {
        expect(one, key).not.toMatch(/\d/);
      }
    }
  });
});

describe('zonedDayBoundary', () => {
  it('gives the start and end of a calendar day in São Paulo (UTC-3)', () => {
    expect(zonedDayBoundary('2026-11-28', 'America/Sao_Paulo').toISOString()).toBe(
      '2026-11-28T03:00:00.000Z',
    );
    expect(zonedDayBoundary('2026-11-28', 'America/Sao_Paulo', true).toISOString()).toBe(
      '2026-11-29T02:59:59.999Z',
    );
  });

  it('handles UTC and zones east of Greenwich', () => {
    expect(zonedDayBoundary('2024-02-29', 'UTC').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(zonedDayBoundary('2024-07-01', 'Asia/Tokyo').toISOString()).toBe('2024-06-30T15:00:00.000Z');
  });

  // [day, zone, first instant, last instant]
  const cases = (rows: [string, string, string, string][]) =>
    rows.map(([day, zone, start, end]) => ({ day, zone, start, end }));
  const expectBounds = (rows: [string, string, string, string][]) => {
    for (const { day, zone, start, end } of cases(rows)) {
      expect(
        {
          start: zonedDayBoundary(day, zone).toISOString().replace(':00.000Z', ''),
          end: zonedDayBoundary(day, zone, true).toISOString().replace(':59.999Z', ''),
        },
        `${day} ${zone}`,
      ).toEqual({ start, end });
    }
  };

  it('follows daylight saving time in New York and Lisbon, the days of the change included', () => {
    expectBounds([
      ['2026-01-15', 'America/New_York', '2026-01-15T05:00', '2026-01-16T04:59'],
      ['2026-07-15', 'America/New_York', '2026-07-15T04:00', '2026-07-16T03:59'],
      // 2 a.m. became 3 a.m. on 8 March 2026: a day of 23 hours
      ['2026-03-08', 'America/New_York', '2026-03-08T05:00', '2026-03-09T03:59'],
      ['2026-01-15', 'Europe/Lisbon', '2026-01-15T00:00', '2026-01-15T23:59'],
      ['2026-07-15', 'Europe/Lisbon', '2026-07-14T23:00', '2026-07-15T22:59'],
      // 2 a.m. became 1 a.m. on 25 October 2026: a day of 25 hours
      ['2026-10-25', 'Europe/Lisbon', '2026-10-24T23:00', '2026-10-25T23:59'],
    ]);
  });

  it('knows São Paulo kept summer time until 2019, when clocks jumped or fell back at midnight', () => {
    expectBounds([
      ['2026-01-15', 'America/Sao_Paulo', '2026-01-15T03:00', '2026-01-16T02:59'],
      ['2018-12-15', 'America/Sao_Paulo', '2018-12-15T02:00', '2018-12-16T01:59'],
      // midnight of 4 November 2018 never happened (0:00 became 1:00, UTC-3 to UTC-2): the day began at the jump
      ['2018-11-03', 'America/Sao_Paulo', '2018-11-03T03:00', '2018-11-04T02:59'],
      ['2018-11-04', 'America/Sao_Paulo', '2018-11-04T03:00', '2018-11-05T01:59'],
      // 0:00 of 17 February 2019 became 23:00 of the 16th (UTC-2 to UTC-3): the 16th lasted 25 hours
      ['2019-02-16', 'America/Sao_Paulo', '2019-02-16T02:00', '2019-02-17T02:59'],
      ['2019-02-17', 'America/Sao_Paulo', '2019-02-17T03:00', '2019-02-18T02:59'],
    ]);
  });
});

describe('server errors by reason and field code', () => {
  const dictionaries = { en, 'pt-BR': ptBR } as const;
  const translator = (locale: keyof typeof dictionaries) => (key: MessageKey, vars?: Vars) =>
    interpolate(locale, dictionaries[locale][key], vars);
  const keys = Object.keys(en);
  const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)[:}]/g)].map((m) => m[1]))];

  it('every reason and every field code has an English and a Portuguese text', () => {
    for (const reason of Object.keys(reasons)) {
      const key = `error.${reason}` as MessageKey;
      expect(en[key], key).toBeTruthy();
      expect(ptBR[key], key).toBeTruthy();
    }
    for (const code of Object.keys(fieldCodes)) {
      const key = `field.${code}` as MessageKey;
      expect(en[key], key).toBeTruthy();
      expect(ptBR[key], key).toBeTruthy();
    }
  });

  it('no text is left for a code the server no longer has, and texts use only the params it sends', () => {
    for (const key of keys.filter((k) => k.startsWith('error.'))) {
      const [, reason = ''] = key.split('.');
      expect(Object.keys(reasons), key).toContain(reason);
      const sent = placeholders(reasons[reason as Reason].message);
      expect(sent, key).toEqual(expect.arrayContaining(placeholders(en[key as MessageKey])));
    }
    for (const key of keys.filter((k) => k.startsWith('field.'))) {
      expect(Object.keys(fieldCodes), key).toContain(key.slice('field.'.length));
    }
  });

  it('no two codes read the same to a user, in either language', () => {
    // the same words once case, punctuation and placeholder names are set aside
    const meaning = (text: string) =>
      text
        .toLowerCase()
        .replace(/\{\w+(:[^}]*)?\}/g, '#')
        .replace(/[^\p{L}\p{N}#]+/gu, ' ')
        .trim();
    for (const dictionary of [en, ptBR]) {
      for (const prefix of ['error.', 'field.']) {
        const seen = new Map<string, string>();
        for (const key of keys.filter((k) => k.startsWith(prefix))) {
          const text = meaning(dictionary[key as MessageKey]);
          expect(seen.get(text), `${key} reads like ${seen.get(text)}`).toBeUndefined();
          seen.set(text, key);
        }
      }
    }
  });

  it('translates a reason with its params, per kind of row for NOT_FOUND, and knows no unknown code', () => {
    const pt = translator('pt-BR');
    expect(reasonText(pt, 'HORIZON_TOO_LONG', { model: 'naive', max: 30, asked: 31 })).toBe(
      'O modelo naive prevê no máximo 30 dias à frente; foram pedidos 31',
    );
    expect(reasonText(pt, 'NOT_FOUND', { entity: 'forecast', id: 12 })).toBe('Previsão 12 não encontrada');
    expect(reasonText(translator('en'), 'NOT_FOUND', { entity: 'forecast', id: 12 })).toBe(
      'Forecast 12 not found',
    );
    expect(reasonText(pt, 'NOT_FOUND', { entity: 'price', id: 3 })).toBe('price 3 não encontrado');
    expect(reasonText(pt, 'LOGIN_LOCKED', { minutes: 1 })).toBe(
      'Muitas tentativas falhas; tente de novo em 1 minuto',
    );
    expect(reasonText(pt, 'SOMETHING_NEW', {})).toBeNull();
    expect(fieldIssueText(pt, { code: 'TOO_BIG', params: { max: 365 } })).toBe('deve ser no máximo 365');
    expect(fieldIssueText(translator('en'), { code: 'TOO_BIG', params: { max: 365 } })).toBe(
      'must be at most 365',
    );
  });
});
