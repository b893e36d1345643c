#!/usr/bin/env -S node --import tsx
import { buildContext, type Command, UsageError } from './command.ts';
import { commands } from './commands/index.ts';
import { describeError } from './describe-error.ts';
import { commandHelp, helpWidth, topLevelHelp } from './help.ts';

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
    console.log(topLevelHelp(helpWidth()));
    return words.length === 0 ? 2 : 0;
  }
  const found = findCommand(words);
  if (!found) {
    console.error(`ethcast: unknown command "${words[0]}" (run "pnpm ethcast --help")`);
    return 2;
  }
  if (wantsHelp) {
    console.log(commandHelp(found.command, helpWidth()));
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
