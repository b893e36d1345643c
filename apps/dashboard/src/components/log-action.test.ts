import { describe, expect, it } from 'vitest';
import { interpolate } from '../i18n.tsx';
import { en, type MessageKey, ptBR } from '../messages.ts';
import { logActionText } from './log-action.ts';

const inPortuguese = (key: MessageKey, vars?: Record<string, string | number>) =>
  interpolate('pt-BR', ptBR[key], vars);
const inEnglish = (key: MessageKey, vars?: Record<string, string | number>) =>
  interpolate('en', en[key], vars);

describe('logActionText', () => {
  it('translates an event with its parameters, the changed fields of a user included', () => {
    const row = {
      action: 'user 7 updated: password, role=admin',
      event: { code: 'userUpdated' as const, params: { id: 7, fields: 'password, role=admin' } },
    };
    expect(logActionText(inPortuguese, row)).toBe('usuário 7 alterado: senha, papel: administrador');
    // in English the text is the one the server stored
    expect(logActionText(inEnglish, row)).toBe(row.action);
    expect(
      logActionText(inPortuguese, {
        action: 'log 3 deleted',
        event: { code: 'logDeleted', params: { id: 3 } },
      }),
    ).toBe('linha 3 do registro excluída');
  });

  it('shows a row without an event (reworded by an admin) as stored', () => {
    expect(logActionText(inPortuguese, { action: 'login failed (reviewed)', event: null })).toBe(
      'login failed (reviewed)',
    );
  });
});
