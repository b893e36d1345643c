import { TRPCClientError } from '@ethcast/client';
import {
  createAdmin,
  describeStartupError,
  grantAdmin,
  loadConfig,
  passwordSchema,
  readAdminToken,
  usernameSchema,
} from '@ethcast/server';
import {
  type Command,
  type CommandContext,
  onePositional,
  parseCommandArgs,
  UsageError,
} from '../command.ts';
import { printJson } from '../output.ts';
import { readSecret } from '../prompt.ts';
import { serverAnswers } from '../server-probe.ts';
import { cliViewer, withDatabase, withServices } from './prices.ts';

type Created = { id: number; username: string; role: string; createdAt: Date };

const usage = 'ethcast admin:create <username> [--json]';

/**
 * Through a running server: as a signed-in admin (`users.createAdmin`), or, on a fresh install with no
 * admin, with the one-time token the server wrote to ADMIN_TOKEN_FILE (`users.bootstrapAdmin`), which
 * only the server's OS user can read. With no server answering: straight into the database.
 */
export const adminCreateCommand: Command = {
  name: 'admin:create',
  usage,
  summary:
    "Create an admin (password prompted, or read from stdin): through the running server (as an admin, or the first admin with the server's one-time token file), else straight into the database",
  access: 'server-or-database',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, usage);
    const username = usernameSchema.safeParse(onePositional(positionals, 'username', usage));
    if (!username.success) throw new UsageError(`username ${username.error.issues[0]?.message}`);
    const password = await readSecret('Password for the new admin (8-72 bytes): ', ctx.stdin);
    const checked = passwordSchema.safeParse(password);
    if (!checked.success) throw new UsageError(`password ${checked.error.issues[0]?.message}`);
    const input = { username: username.data, password };
    const user: Created = (await serverAnswers(ctx.url))
      ? await createThroughServer(ctx, input)
      : await withServices((services) => createAdmin(services, cliViewer, input));
    if (ctx.json) return printJson(user);
    console.log(`Admin ${user.username} created (id ${user.id}).`);
  },
};

async function createThroughServer(
  ctx: CommandContext,
  input: { username: string; password: string },
): Promise<Created> {
  if (ctx.config.token) {
    try {
      return await ctx.client.users.createAdmin.mutate(input);
    } catch (error) {
      const code = error instanceof TRPCClientError ? (error.data as { code?: string })?.code : undefined;
      if (code !== 'UNAUTHORIZED' && code !== 'FORBIDDEN') throw error;
    }
  }
  let tokenFile: string;
  try {
    tokenFile = loadConfig().adminTokenFile;
  } catch (error) {
    throw new Error(describeStartupError(error));
  }
  const token = readAdminToken(tokenFile);
  if (!token) {
    throw new Error(
      `the server at ${ctx.url} needs an admin to create one: sign in with "pnpm ethcast login <admin>" (on a fresh install with no admin, run this on the server's machine as the user that runs it)`,
    );
  }
  return ctx.client.users.bootstrapAdmin.mutate({ ...input, token });
}

/** Names an admin among existing users, e.g. the first one after taking over the legacy backend's data. */
export const adminGrantCommand: Command = {
  name: 'admin:grant',
  usage: 'ethcast admin:grant <username>',
  access: 'database',
  summary: 'Make an existing user an admin, in the configured database (e.g. after the legacy takeover)',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, this.usage);
    const username = onePositional(positionals, 'username', this.usage);
    const user = await withDatabase((handle) => grantAdmin(handle, cliViewer, { username }));
    if (ctx.json) return printJson(user);
    console.log(
      user.changed
        ? `${user.username} (id ${user.id}) is now an admin.`
        : `${user.username} (id ${user.id}) was an admin already.`,
    );
  },
};
