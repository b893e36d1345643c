import { z } from 'zod';
import { credentialsInput, loginInput, updateUserInput } from '../schemas/users.ts';
import {
  deleteAccount,
  getAccount,
  getAccountByUsername,
  listAccounts,
  register,
  updateAccount,
} from '../usecases/accounts.ts';
import { login } from '../usecases/login.ts';
import { idSchema, usernameLookupSchema } from '../validation.ts';
import { legacyMessages } from './failures.ts';
import {
  deleteRoute,
  idParam,
  type LegacyRoute,
  listRoute,
  messageSchema as message,
  oneRowOf as oneRow,
  say,
} from './route.ts';
import { userRow, userRowSchema } from './rows.ts';
import { perform } from './use-case.ts';

const text = {
  created: { pt: 'Usuário criado com sucesso', en: 'User created' },
  login: { pt: 'Login bem-sucedido', en: 'Signed in' },
  list: { pt: 'Lista de usuários na base', en: 'Users' },
  got: { pt: 'Usuário requisitado', en: 'User' },
  updated: { pt: 'Usuário atualizado com sucesso', en: 'User updated' },
  deleted: { pt: 'Usuário deletado com sucesso', en: 'User deleted' },
};

const taken = { CONFLICT: legacyMessages.USERNAME_TAKEN };

const idPath = z.object({ id: idSchema });
/** The register or login procedure's own username and password rules, with examples. */
const credentials = (input: typeof credentialsInput | typeof loginInput) =>
  z.object({
    username: input.shape.username.meta({ example: 'joao' }),
    password: input.shape.password.meta({ example: 'S3cure-passw0rd' }),
  });

export const userRoutes: LegacyRoute[] = [
  {
    method: 'POST',
    path: '/users/register/',
    tag: 'users',
    summary: 'Register',
    procedures: ['users.register'],
    access: 'anyone',
    body: credentials(credentialsInput),
    status: 200,
    answer: z.object({ message, user_id: z.number().int() }),
    errors: 'error',
    entity: 'user',
    byKind: taken,
    // the legacy backend answered 400 for a taken name (its insert failed)
    statusByReason: { USERNAME_TAKEN: 400, CONFLICT: 400 },
    async handle(input) {
      const { body, language } = input;
      const user = await perform(input, 'users.register', register, {
        username: body.username,
        password: body.password,
      });
      return { message: say(language, text.created), user_id: user.id };
    },
  },
  {
    method: 'POST',
    path: '/users/login/',
    tag: 'users',
    summary: 'Sign in',
    description:
      'Answers the user (without the password hash) and a bearer `token` for `Authorization: Bearer <token>` on every other route. Unknown users and wrong passwords get the same 401.',
    procedures: ['users.login'],
    access: 'anyone',
    body: credentials(loginInput),
    status: 200,
    answer: z.object({ message, user: userRowSchema, token: z.string() }),
    errors: 'error',
    entity: 'user',
    byKind: { UNAUTHORIZED: legacyMessages.WRONG_CREDENTIALS },
    async handle(input) {
      const { body, language } = input;
      const result = await perform(input, 'users.login', login, {
        username: body.username,
        password: body.password,
      });
      return { message: say(language, text.login), user: userRow(result.user), token: result.token };
    },
  },
  listRoute({
    path: '/users/list/',
    tag: 'users',
    summary: 'List users (admins)',
    procedure: 'users.list',
    access: 'admin',
    entity: 'user',
    key: 'users',
    row: userRowSchema,
    toRow: userRow,
    text: text.list,
    page: (input, args) => perform(input, 'users.list', listAccounts, args),
  }),
  {
    method: 'GET',
    path: '/users/get_by_id/{id}',
    tag: 'users',
    summary: 'A user by id (yourself; admins anyone)',
    procedures: ['users.byId'],
    access: 'signed-in',
    params: idPath,
    status: 200,
    answer: z.object({ message, user: oneRow(userRowSchema) }),
    errors: 'error',
    entity: 'user',
    async handle(input) {
      const { params, language } = input;
      const user = await perform(input, 'users.byId', getAccount, { id: idParam(params.id) });
      return { message: say(language, text.got), user: [userRow(user)] };
    },
  },
  {
    method: 'GET',
    path: '/users/get/{username}',
    tag: 'users',
    summary: 'A user by username (yourself; admins anyone)',
    procedures: ['users.byUsername'],
    access: 'signed-in',
    params: z.object({ username: usernameLookupSchema }),
    status: 200,
    answer: z.object({ message, user: oneRow(userRowSchema) }),
    errors: 'error',
    entity: 'user',
    async handle(input) {
      const { params, language } = input;
      const user = await perform(input, 'users.byUsername', getAccountByUsername, {
        username: params.username ?? '',
      });
      return { message: say(language, text.got), user: [userRow(user)] };
    },
  },
  {
    method: 'PUT',
    path: '/users/update/{id}',
    tag: 'users',
    summary: 'Change a username or password (yourself; admins anyone)',
    description:
      'Send what changes. Changing your own password needs `current_password` too (the legacy backend did not ask; a stolen token must not be enough to take the account), and signs out your other sessions.',
    procedures: ['users.update'],
    access: 'signed-in',
    params: idPath,
    body: z.object({
      username: updateUserInput.shape.username,
      password: updateUserInput.shape.password,
      current_password: updateUserInput.shape.currentPassword,
    }),
    status: 200,
    answer: z.object({ message, user: oneRow(userRowSchema) }),
    errors: 'error',
    entity: 'user',
    byKind: taken,
    async handle(input) {
      const { params, body, language } = input;
      const user = await perform(input, 'users.update', updateAccount, {
        id: idParam(params.id),
        ...(body.username !== undefined ? { username: body.username } : {}),
        ...(body.password !== undefined ? { password: body.password } : {}),
        ...(body.current_password !== undefined ? { currentPassword: body.current_password } : {}),
      });
      return { message: say(language, text.updated), user: [userRow(user)] };
    },
  },
  deleteRoute({
    path: '/users/delete/{id}',
    tag: 'users',
    summary: 'Delete an account (yourself; admins anyone) with its sessions and forecasts',
    procedure: 'users.delete',
    access: 'signed-in',
    entity: 'user',
    params: idPath,
    text: text.deleted,
    remove: (input, id) => perform(input, 'users.delete', deleteAccount, { id }),
  }),
];
