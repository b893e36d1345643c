import { z } from 'zod';
import { inputField } from '../openapi/procedures.ts';
import { collectPages, idParam, type LegacyRoute, listQuerySchema, say } from './route.ts';
import { logRow, logRowSchema } from './rows.ts';

const text = {
  list: { pt: 'Lista de logs na base', en: 'Log entries' },
  got: { pt: 'Log requisitado', en: 'Log entry' },
  updated: { pt: 'Log atualizado com sucesso', en: 'Log entry updated' },
  deleted: { pt: 'Log deletado com sucesso', en: 'Log entry deleted' },
};

const message = z.string().meta({ description: 'Portuguese, or English with `Accept-Language: en`' });
const oneRow = z
  .array(logRowSchema)
  .length(1)
  .meta({ description: 'a one-element list, as the legacy backend sent its rows' });
const idPath = z.object({ id: inputField('logs.byId', 'id') });

export const logRoutes: LegacyRoute[] = [
  {
    method: 'GET',
    path: '/logs/list/',
    tag: 'logs',
    summary: 'The audit log, newest first (admins: everyone; a user: their own)',
    procedures: ['logs.list'],
    access: 'signed-in',
    query: listQuerySchema,
    status: 200,
    answer: z.object({ message, logs: z.array(logRowSchema) }),
    errors: 'error',
    entity: 'log',
    async handle(input) {
      const rows = await collectPages(input, (page) => input.call.logs.list(page));
      return { message: say(input.language, text.list), logs: rows.map(logRow) };
    },
  },
  {
    method: 'GET',
    path: '/logs/get/{id}',
    tag: 'logs',
    summary: 'One log entry (admins)',
    procedures: ['logs.byId'],
    access: 'admin',
    params: idPath,
    status: 200,
    answer: z.object({ message, log: oneRow }),
    errors: 'error',
    entity: 'log',
    async handle({ call, params, language }) {
      const row = await call.logs.byId({ id: idParam(params.id) as number });
      return { message: say(language, text.got), log: [logRow(row)] };
    },
  },
  {
    method: 'PUT',
    path: '/logs/update/{id}',
    tag: 'logs',
    summary: 'Correct a log entry (admins; the correction is itself logged)',
    procedures: ['logs.update'],
    access: 'admin',
    params: idPath,
    body: z.object({
      username_log: inputField('logs.update', 'usernameLog'),
      action: inputField('logs.update', 'action'),
    }),
    status: 200,
    answer: z.object({ message, log: oneRow }),
    errors: 'error',
    entity: 'log',
    async handle({ call, params, body, language }) {
      const row = await call.logs.update({
        id: idParam(params.id) as number,
        usernameLog: body.username_log as string | null,
        action: body.action as string,
      });
      return { message: say(language, text.updated), log: [logRow(row)] };
    },
  },
  {
    method: 'DELETE',
    path: '/logs/delete/{id}',
    tag: 'logs',
    summary: 'Delete a log entry (admins; the deletion is itself logged)',
    procedures: ['logs.delete'],
    access: 'admin',
    params: idPath,
    status: 200,
    answer: z.object({ error: z.literal(false), message }),
    errors: 'flag',
    entity: 'log',
    async handle({ call, params, language }) {
      await call.logs.delete({ id: idParam(params.id) as number });
      return { error: false, message: say(language, text.deleted) };
    },
  },
];
