import { formatTable } from '@ethcast/forecast/terminal';
import {
  type Command,
  givenFields,
  onePositional,
  parseCommandArgs,
  positiveIntOption,
  stringOptions,
  UsageError,
} from '../command.ts';
import { removeCliConfig, writeCliConfig } from '../config.ts';
import { pageFields, printJson, printPage } from '../output.ts';
import { readSecret } from '../prompt.ts';

export const registerCommand: Command = {
  name: 'register',
  usage: 'ethcast register <username>',
  summary: 'Create an account (password prompted, or read from stdin)',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, this.usage);
    const username = onePositional(positionals, 'username', this.usage);
    const password = await readSecret('Password (8-72 bytes): ', ctx.stdin);
    const user = await ctx.client.users.register.mutate({ username, password });
    if (ctx.json) return printJson(user);
    console.log(`Registered ${user.username} (id ${user.id}). Now: pnpm ethcast login ${user.username}`);
  },
};

export const loginCommand: Command = {
  name: 'login',
  usage: 'ethcast login <username>',
  summary: 'Sign in and keep the session token in the CLI config (mode 0600)',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, this.usage);
    const username = onePositional(positionals, 'username', this.usage);
    const password = await readSecret('Password: ', ctx.stdin);
    const result = await ctx.client.users.login.mutate({ username, password });
    await writeCliConfig(ctx.env.configFile, {
      url: ctx.url,
      token: result.token,
      username: result.user.username,
    });
    if (ctx.json) return printJson({ user: result.user, expiresAt: result.expiresAt });
    console.log(
      `Signed in as ${result.user.username} (${result.user.role}) until ${ctx.time.dateTime(result.expiresAt)}`,
    );
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  usage: 'ethcast logout',
  summary: 'Revoke the session and forget the token',
  async run(ctx) {
    parseCommandArgs(ctx.args, {}, this.usage);
    if (ctx.config.token) await ctx.client.users.logout.mutate().catch(() => undefined);
    await removeCliConfig(ctx.env.configFile);
    if (ctx.json) return printJson({ ok: true });
    console.log('Signed out.');
  },
};

export const meCommand: Command = {
  name: 'me',
  usage: 'ethcast me [--json]',
  summary: 'Who is signed in',
  async run(ctx) {
    parseCommandArgs(ctx.args, {}, this.usage);
    const me = await ctx.client.users.me.query();
    if (ctx.json) return printJson(me);
    console.log(`${me.username} (id ${me.id}, ${me.role}), member since ${ctx.time.day(me.createdAt)}`);
  },
};

export const usersListCommand: Command = {
  name: 'users list',
  usage: 'ethcast users list [--search TEXT] [--limit N] [--cursor ID] [--json]',
  summary: 'List users (admins)',
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.args, stringOptions('search', 'limit', 'cursor'), this.usage);
    const page = await ctx.client.users.list.query({
      ...pageFields(values, 50, this.usage),
      ...givenFields({
        search: values.search,
      }),
    });
    printPage(ctx, page, () =>
      formatTable(
        page.items.map((u) => ({ ...u, createdAt: ctx.time.dateTime(u.createdAt) })),
        ['id', 'username', 'role', 'createdAt'],
      ),
    );
  },
};

function dateOption(value: string | undefined, name: string, usage: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--${name} must be a date like 2026-01-31 (usage: ${usage})`);
  return date;
}

export const logsListCommand: Command = {
  name: 'logs list',
  usage:
    'ethcast logs list [--user ID] [--action TEXT] [--from DATE] [--to DATE] [--limit N] [--cursor ID] [--json]',
  summary: 'The audit log, newest first (admins see everyone, users their own)',
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.args,
      stringOptions('user', 'action', 'from', 'to', 'limit', 'cursor'),
      this.usage,
    );
    const page = await ctx.client.logs.list.query({
      ...pageFields(values, 50, this.usage),
      ...givenFields({
        userId: positiveIntOption(values.user, 'user', this.usage),
        action: values.action,
        from: dateOption(values.from, 'from', this.usage),
        to: dateOption(values.to, 'to', this.usage),
      }),
    });
    printPage(ctx, page, () =>
      formatTable(
        page.items.map((l) => ({ ...l, date: ctx.time.dateTime(l.date) })),
        ['id', 'date', 'usernameLog', 'action', 'userId'],
      ),
    );
  },
};
