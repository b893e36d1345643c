import type { Command } from './command.ts';
import { commands } from './commands/index.ts';
import { DEFAULT_TIME_ZONE } from './time.ts';

/** Width of help text: the terminal's, or 80 columns when stdout is not a terminal (a pipe, a file). */
export function helpWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? Math.max(40, stream.columns) : 80;
}

/**
 * Wraps each line of `text` at `width` columns. A line keeps its own leading spaces, and its
 * continuation lines get them plus `hang`. Bracketed option groups ("[--limit N]") stay whole; a word
 * longer than the room left is cut, so no line is ever wider than `width`.
 */
export function wrapText(text: string, width: number, hang = ''): string {
  return text
    .split('\n')
    .map((line) => {
      const lead = line.match(/^ */)?.[0] ?? '';
      const words = line.slice(lead.length).match(/\[[^\]]*\]|\S+/g) ?? [];
      if (words.length === 0) return '';
      const next = lead + hang;
      const out: string[] = [];
      let current = lead;
      let empty = true;
      for (let word of words) {
        while (true) {
          const candidate = empty ? current + word : `${current} ${word}`;
          if (candidate.length <= width) {
            current = candidate;
            empty = false;
            break;
          }
          if (!empty) {
            out.push(current);
            current = next;
            empty = true;
            continue;
          }
          // the word alone is wider than the room: cut it
          const room = Math.max(1, width - current.length);
          out.push(current + word.slice(0, room));
          word = word.slice(room);
          current = next;
        }
      }
      if (!empty) out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

/** The command list: each usage, with its summary indented under it (readable at any width). */
export function commandList(commands: readonly Command[], width: number): string {
  return commands
    .map((c) => `${wrapText(`  ${c.usage}`, width, '    ')}\n${wrapText(`      ${c.summary}`, width)}`)
    .join('\n');
}

/** Paragraphs: each is one line here and wrapped to the width when printed. */
const accessNote = (commands: readonly Command[]) => {
  const databaseOnly = commands.filter((c) => c.access === 'database').map((c) => c.name);
  return [
    'Where commands run:',
    `  Every command but ${databaseOnly.join(', ')} talks to the server at ETHCAST_URL (default http://127.0.0.1:3000), except that ${commands
      .filter((c) => c.access === 'server-or-database')
      .map((c) => c.name)
      .join(
        ', ',
      )} go through that server when one answers and otherwise open the database themselves (DATABASE_URL, or the embedded .data/pglite), which is refused while another process holds an embedded database. Through the server they need an admin sign-in (pnpm ethcast login <admin>); admin:create's first admin on a fresh install needs none (see its --help). ${databaseOnly.join(', ')} ${databaseOnly.length === 1 ? 'writes' : 'write'} into the database directly, never through a server (on the embedded one, with the server stopped).`,
    '  On PostgreSQL both paths are safe; bulk imports through the server measured no slower than direct ones (docs/benchmarks.md), so the CLI always uses the server when it answers.',
  ].join('\n');
};

export function topLevelHelp(width: number): string {
  return [
    'Usage: pnpm ethcast <command> [options]',
    '',
    'Commands:',
    commandList(commands, width),
    '',
    wrapText(accessNote(commands), width),
    '',
    wrapText('Global options: --json (machine-readable output), --help', width, '  '),
    'Environment:',
    wrapText(
      [
        '  ETHCAST_URL: the server (default http://127.0.0.1:3000, or the one saved at login)',
        '  ETHCAST_CONFIG: the file holding the session (default ~/.config/ethcast/config.json)',
        `  ETHCAST_TIMEZONE: the zone times are shown in, each with its offset (default ${DEFAULT_TIME_ZONE}, as in the dashboard; UTC for UTC)`,
      ].join('\n'),
      width,
      '    ',
    ),
  ].join('\n');
}

export function commandHelp(command: Command, width: number): string {
  const where =
    command.access === 'server-or-database'
      ? 'Runs through the server at ETHCAST_URL when one answers, else opens the database (DATABASE_URL, or the embedded .data/pglite) itself.'
      : command.access === 'database'
        ? 'Opens the database (DATABASE_URL, or the embedded .data/pglite) itself, never a server.'
        : 'Runs through the server at ETHCAST_URL (default http://127.0.0.1:3000).';
  return [
    wrapText(`Usage: ${command.usage}`, width, '    '),
    '',
    wrapText(command.summary, width),
    '',
    wrapText(where, width),
    ...(command.help ? ['', wrapText(command.help, width)] : []),
  ].join('\n');
}
