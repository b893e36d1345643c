import {
  describeStartupError,
  loadConfig,
  openDatabase,
  passwordSchema,
  registerUser,
  usernameSchema,
} from '@ethcast/server';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { printJson } from '../output.ts';
import { readSecret } from '../prompt.ts';

/** Talks to the configured database directly (DATABASE_URL, or the embedded one): no server needed. */
export const adminCreateCommand: Command = {
  name: 'admin:create',
  usage: 'ethcast admin:create <username>',
  summary: 'Create an admin in the configured database (password prompted, or read from stdin)',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, this.usage);
    const [rawName, ...extra] = positionals;
    if (!rawName || extra.length) throw new UsageError(`expected one username (usage: ${this.usage})`);
    const username = usernameSchema.safeParse(rawName);
    if (!username.success) throw new UsageError(`username ${username.error.issues[0]?.message}`);
    const password = await readSecret('Password for the new admin (8-72 bytes): ', ctx.stdin);
    const checked = passwordSchema.safeParse(password);
    if (!checked.success) throw new UsageError(`password ${checked.error.issues[0]?.message}`);
    let config: ReturnType<typeof loadConfig>;
    let handle: Awaited<ReturnType<typeof openDatabase>>;
    try {
      config = loadConfig();
      handle = await openDatabase(config);
    } catch (error) {
      throw new Error(describeStartupError(error));
    }
    try {
      const user = await registerUser(
        handle.db,
        { username: username.data, password, role: 'admin', action: 'admin created from cli' },
        config.bcryptCost,
      );
      if (ctx.json) return printJson(user);
      console.log(`Admin ${user.username} created (id ${user.id}).`);
    } finally {
      await handle.close();
    }
  },
};
