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
  [
    /^The server is busy checking other passwords; try again in (\d+) s$/,
    'O servidor está ocupado verificando outras senhas; tente de novo em $1 s',
  ],
  [/^Too many requests; try again in (\d+) s$/, 'Muitas solicitações; tente de novo em $1 s'],
  [
    /^The database is unavailable; try again in (\d+) s$/,
    'O banco de dados está indisponível; tente de novo em $1 s',
  ],
  [
    /^Refused: a signed-in change must come from this site.*$/,
    'Recusado: uma alteração com sessão aberta deve vir deste site',
  ],
  [/^Forecast (\d+) not found$/, 'Previsão $1 não encontrada'],
  [/^Log (\d+) not found$/, 'Linha $1 do registro não encontrada'],
  [/^User (\d+) not found$/, 'Usuário $1 não encontrado'],
  [/^This forecast belongs to another user$/, 'Esta previsão é de outro usuário'],
  [/^No prices stored for (\S+)$/, 'Não há preços salvos para $1'],
  [/^User "(.+)" not found$/, 'Usuário "$1" não encontrado'],
  [/^Only admins see other users' forecasts$/, 'Somente administradores veem previsões de outros usuários'],
  [/^You can only see your own account$/, 'Você só pode ver a sua própria conta'],
  [/^You can only change your own account$/, 'Você só pode alterar a sua própria conta'],
  [/^You can only delete your own account$/, 'Você só pode excluir a sua própria conta'],
  [/^You can only see your own log$/, 'Você só pode ver o seu próprio registro'],
  [/^Only admins change roles$/, 'Somente administradores mudam papéis'],
  [/^The last admin cannot be demoted$/, 'O último administrador não pode perder o papel'],
  [/^The last admin cannot be deleted$/, 'O último administrador não pode ser excluído'],
  [/^Current password is wrong$/, 'A senha atual está errada'],
  [/^currentPassword is required to change your password$/, 'Informe a senha atual para trocar a senha'],
  [/^Nothing to change: give username, password or role$/, 'Nada a alterar: informe usuário, senha ou papel'],
  [
    /^The server is busy with other forecasts; try again in a moment$/,
    'O servidor está ocupado com outras previsões; tente de novo em instantes',
  ],
  [
    /^(\S+) forecasts at most (\d+) days ahead; (\d+) were asked$/,
    'O modelo $1 prevê no máximo $2 dias à frente; foram pedidos $3',
  ],
  [
    /^(\S+) needs (\d+) consecutive days of (\S+) prices; (\d+) are stored \((\d+) missing\)\. Import prices first\.$/,
    'O modelo $1 precisa de $2 dias seguidos de preços de $3; há $4 salvos (faltam $5). Importe os preços primeiro.',
  ],
  [/^Unknown model '(.+)' for (\S+); available: (.+)$/, "Modelo '$1' desconhecido para $2; disponíveis: $3"],
  [/^The (\S+) forecast failed$/, 'A previsão do modelo $1 falhou'],
  [/^The model registry is unavailable$/, 'O registro de modelos está indisponível'],
  [/^Internal server error$/, 'Erro interno do servidor'],
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
  [
    /^must not contain control characters \(such as a null byte\)$/,
    'não pode conter caracteres de controle (como um byte nulo)',
  ],
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
