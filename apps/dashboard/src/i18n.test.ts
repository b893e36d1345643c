import { describe, expect, it } from 'vitest';
import { interpolate, zonedDayBoundary } from './i18n.tsx';
import { en, ptBR } from './messages.ts';

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
    expect(interpolate('Hi {name}, {n} new', { name: 'Ana', n: 3 })).toBe('Hi Ana, 3 new');
    expect(interpolate('Hi {name}')).toBe('Hi {name}');
  });

  it('picks singular or plural forms by the number, with placeholders inside the forms', () => {
    const known = (n: number) => interpolate('{n} {n:day|days} known', { n });
    expect([known(0), known(1), known(2), known(30)]).toEqual([
      '0 days known',
      '1 day known',
      '2 days known',
      '30 days known',
    ]);
    const window = (n: number) => interpolate('Olha {n:o último dia|os últimos {n} dias}', { n });
    expect(window(1)).toBe('Olha o último dia');
    expect(window(60)).toBe('Olha os últimos 60 dias');
    // an unknown variable leaves the whole choice visible
    expect(interpolate('{x:a|b}')).toBe('{x:a|b}');
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
});

describe('localizeServerMessage', () => {
  it('translates known server and field messages for pt-BR and leaves English alone', async () => {
    const { localizeServerMessage } = await import('./server-messages.ts');
    expect(localizeServerMessage('Wrong username or password', 'pt-BR')).toBe('Usuário ou senha incorretos');
    expect(localizeServerMessage('must be at least 3 characters', 'pt-BR')).toBe(
      'deve ter pelo menos 3 caracteres',
    );
    expect(localizeServerMessage('Forecast 12 not found', 'pt-BR')).toBe('Previsão 12 não encontrada');
    expect(localizeServerMessage('something new', 'pt-BR')).toBe('something new');
    // what predicts.create answers (see packages/server/src/forecasts/create-prediction.ts)
    expect(localizeServerMessage('naive forecasts at most 30 days ahead; 31 were asked', 'pt-BR')).toBe(
      'O modelo naive prevê no máximo 30 dias à frente; foram pedidos 31',
    );
    expect(
      localizeServerMessage(
        'lstm needs 61 consecutive days of ETH-USD prices; 40 are stored (21 missing). Import prices first.',
        'pt-BR',
      ),
    ).toBe(
      'O modelo lstm precisa de 61 dias seguidos de preços de ETH-USD; há 40 salvos (faltam 21). Importe os preços primeiro.',
    );
    expect(localizeServerMessage("Unknown model 'nope' for ETH-USD; available: naive, drift", 'pt-BR')).toBe(
      "Modelo 'nope' desconhecido para ETH-USD; disponíveis: naive, drift",
    );
    expect(
      localizeServerMessage('The server is busy with other forecasts; try again in a moment', 'pt-BR'),
    ).toBe('O servidor está ocupado com outras previsões; tente de novo em instantes');
    expect(localizeServerMessage('You can only delete your own account', 'pt-BR')).toBe(
      'Você só pode excluir a sua própria conta',
    );
    expect(localizeServerMessage('Wrong username or password', 'en')).toBe('Wrong username or password');
  });
});
