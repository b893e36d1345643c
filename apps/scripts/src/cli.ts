#!/usr/bin/env -S node --import tsx
import { buildContext, type Command, UsageError } from './command.ts';
import { commands } from './commands/index.ts';
import { describeError } from './describe-error.ts';

const ACCESS_NOTE = [
  'Where commands run:',
  '  Every command talks to the server at ETHCAST_URL (default http://127.0.0.1:3000), except that',
  `  ${commands
    .filter((c) => c.access === 'server-or-database')
    .map((c) => c.name)
    .join(', ')}`,
  '  go through that server when one answers and otherwise open the database themselves',
  '  (DATABASE_URL, or the embedded .data/pglite), which is refused while another process holds an',
  '  embedded database. Through the server they need an admin sign-in (pnpm ethcast login <admin>);',
  "  admin:create's first admin on a fresh install needs none (see its --help).",
  '  On PostgreSQL both paths are safe; bulk imports through the server measured no slower than direct',
  '  ones (docs/benchmarks.md), so the CLI always uses the server when it answers.',
].join('\n');

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Usage: pnpm ethcast <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    ACCESS_NOTE,
    '',
    'Global options: --json (machine-readable output), --help',
    'Environment: ETHCAST_URL (server, default http://127.0.0.1:3000), ETHCAST_CONFIG (config file)',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const where =
    command.access === 'server-or-database'
      ? 'Runs through the server at ETHCAST_URL when one answers, else opens the database (DATABASE_URL, or the embedded .data/pglite) itself.'
      : 'Runs through the server at ETHCAST_URL (default http://127.0.0.1:3000).';
  const extra = command.help ? `\n\n${command.help}` : '';
  return `Usage: ${command.usage}\n\n${command.summary}\n\n${where}${extra}`;
}

/**
 * `ethcast … | head -4` closes the pipe early: end quietly (exit 0) instead of a stack trace from an
 * unhandled EPIPE on the next write.
 */
function endQuietlyOnClosedPipe() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}

/** Resolves the command from argv, e.g. ['users', 'list'] -> 'users list'. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const take of [2, 1]) {
    const name = argv.slice(0, take).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command && argv.length >= take) return { command, rest: argv.slice(take) };
  }
  return null;
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const words = argv.filter((a) => a !== '--json');
  if (words.length === 0 || (wantsHelp && words.length === 1)) {
    console.log(help());
    return words.length === 0 ? 2 : 0;
  }
  const found = findCommand(words);
  if (!found) {
    console.error(`ethcast: unknown command "${words[0]}" (run "pnpm ethcast --help")`);
    return 2;
  }
  if (wantsHelp) {
    console.log(commandHelp(found.command));
    return 0;
  }
  try {
    await found.command.run(await buildContext(found.rest, json));
    return 0;
  } catch (error) {
    console.error(`ethcast: ${describeError(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

endQuietlyOnClosedPipe();
process.exitCode = await main(process.argv.slice(2));
