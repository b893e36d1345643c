import type { Locale } from './i18n.tsx';

/**
 * The server speaks English. For the legacy users these known messages (and zod field messages) are
 * shown in Brazilian Portuguese; anything unknown is shown as the server wrote it.
 */
const ptBR: [RegExp, string][] = [
  [/^Wrong username or password$/, 'Usuário ou senha incorretos'],
  [/^That username is taken$/, 'Esse nome de usuário já está em uso'],
  [/^Sign in first$/, 'Entre primeiro'],
  [/^Admins only$/, 'Somente administradores'],
  [
    /^Too many failed attempts; try again in (\d+) minutes?$/,
    'Muitas tentativas falhas; tente de novo em $1 min',
  ],
  [/^Forecast (\d+) not found$/, 'Previsão $1 não encontrada'],
  [/^Log (\d+) not found$/, 'Linha $1 do registro não encontrada'],
  [/^User (\d+) not found$/, 'Usuário $1 não encontrado'],
  [/^This forecast belongs to another user$/, 'Esta previsão é de outro usuário'],
  [/^No prices stored for (\S+)$/, 'Não há preços salvos para $1'],
  [/^is required$/, 'é obrigatório'],
  [/^must be at least (\d+) characters$/, 'deve ter pelo menos $1 caracteres'],
  [/^must be at most (\d+) characters$/, 'deve ter no máximo $1 caracteres'],
  [/^must be at least (\d+) bytes$/, 'deve ter pelo menos $1 bytes'],
  [/^must be at most (\d+) bytes.*$/, 'deve ter no máximo $1 bytes'],
  [
    /^may contain only letters, digits, "_", "\." and "-"$/,
    'pode conter apenas letras, dígitos, "_", "." e "-"',
  ],
  [/^must be a number$/, 'deve ser um número'],
  [/^must be a whole number of days$/, 'deve ser um número inteiro de dias'],
  [/^must be at least (\d+)$/, 'deve ser pelo menos $1'],
];

export function localizeServerMessage(message: string, locale: Locale): string {
  if (locale !== 'pt-BR') return message;
  for (const [pattern, replacement] of ptBR) {
    if (pattern.test(message)) return message.replace(pattern, replacement);
  }
  return message;
}
