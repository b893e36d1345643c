#!/usr/bin/env -S node --import tsx
import { buildContext, type Command, UsageError } from './command.ts';
import { commands } from './commands/index.ts';
import { describeError } from './describe-error.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Usage: pnpm ethcast <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --json (machine-readable output), --help',
    'Environment: ETHCAST_URL (server, default http://127.0.0.1:3000), ETHCAST_CONFIG (config file)',
  ].join('\n');
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
    console.log(`Usage: ${found.command.usage}\n\n${found.command.summary}`);
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

process.exitCode = await main(process.argv.slice(2));
