import { z } from 'zod';
import { updateLogInput } from '../schemas/logs.ts';
import { deleteLogEntry, editLogEntry, getLogEntry, listLogEntries } from '../usecases/logs.ts';
import { idSchema } from '../validation.ts';
import {
  deleteRoute,
  idParam,
  type LegacyRoute,
  listRoute,
  messageSchema as message,
  oneRowOf,
  say,
} from './route.ts';
import { logRow, logRowSchema } from './rows.ts';
import { perform } from './use-case.ts';

const text = {
  list: { pt: 'Lista de logs na base', en: 'Log entries' },
  got: { pt: 'Log requisitado', en: 'Log entry' },
  updated: { pt: 'Log atualizado com sucesso', en: 'Log entry updated' },
  deleted: { pt: 'Log deletado com sucesso', en: 'Log entry deleted' },
};

const oneRow = oneRowOf(logRowSchema);
const idPath = z.object({ id: idSchema });

export const logRoutes: LegacyRoute[] = [
  listRoute({
    path: '/logs/list/',
    tag: 'logs',
    summary: 'The audit log, newest first (admins: everyone; a user: their own)',
    procedure: 'logs.list',
    access: 'signed-in',
    entity: 'log',
    key: 'logs',
    row: logRowSchema,
    toRow: logRow,
    text: text.list,
    page: (input, args) => perform(input, 'logs.list', listLogEntries, args),
  }),
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
    async handle(input) {
      const row = await perform(input, 'logs.byId', getLogEntry, { id: idParam(input.params.id) });
      const { language } = input;
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
      username_log: updateLogInput.shape.usernameLog,
      action: updateLogInput.shape.action,
    }),
    status: 200,
    answer: z.object({ message, log: oneRow }),
    errors: 'error',
    entity: 'log',
    async handle(input) {
      const { params, body, language } = input;
      const row = await perform(input, 'logs.update', editLogEntry, {
        id: idParam(params.id),
        usernameLog: body.username_log,
        action: body.action,
      });
      return { message: say(language, text.updated), log: [logRow(row)] };
    },
  },
  deleteRoute({
    path: '/logs/delete/{id}',
    tag: 'logs',
    summary: 'Delete a log entry (admins; the deletion is itself logged)',
    procedure: 'logs.delete',
    access: 'admin',
    entity: 'log',
    params: idPath,
    text: text.deleted,
    remove: (input, id) => perform(input, 'logs.delete', deleteLogEntry, { id }),
  }),
];
