import { describe, expect, it } from 'vitest';
import { commands } from './commands/index.ts';
import { commandHelp, helpWidth, topLevelHelp, wrapText } from './help.ts';
import { runCli } from './test/run-cli.ts';

const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('ethcast --help fits the terminal', () => {
  it('wraps the top-level help and a command help to 80 columns when stdout is not a terminal', async () => {
    // the tests' stdout is a pipe, as in `pnpm ethcast --help | less`
    for (const args of [['--help'], ['logs', 'list', '--help'], ['prices:sync', '--help']]) {
      const run = await runCli(args, { env: { ETHCAST_URL: 'http://127.0.0.1:1' } });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const long = run.stdout.split('\n').filter((line) => line.length > 80);
      expect(long, `lines wider than 80 columns in ${args.join(' ')}`).toEqual([]);
    }
  });

  it('wraps every command help, at 80 columns and at a narrow terminal, losing no word', () => {
    for (const width of [80, 60]) {
      expect(widest(topLevelHelp(width))).toBeLessThanOrEqual(width);
      for (const command of commands) {
        const text = commandHelp(command, width);
        expect(widest(text), command.name).toBeLessThanOrEqual(width);
        // the same words, in the same order, as the one-line texts
        const words = (s: string) => s.split(/\s+/).filter(Boolean);
        expect(words(text).slice(1).join(' ')).toContain(words(command.usage).join(' '));
        expect(words(text).join(' ')).toContain(words(command.summary).join(' '));
      }
    }
  });

  it('takes the width of a terminal, and 80 columns elsewhere', () => {
    expect(helpWidth({ isTTY: true, columns: 132 })).toBe(132);
    expect(helpWidth({ isTTY: false, columns: 132 })).toBe(80);
    expect(helpWidth({})).toBe(80);
  });

  it("keeps a line's indent on its continuation lines and cuts only words wider than the line", () => {
    expect(wrapText('  alpha beta gamma delta', 13, '  ')).toBe('  alpha beta\n    gamma\n    delta');
    expect(wrapText('ethcast x [--limit N] [--cursor ID]', 24, '    ')).toBe(
      'ethcast x [--limit N]\n    [--cursor ID]',
    );
    expect(wrapText('abcdefghij', 4)).toBe('abcd\nefgh\nij');
  });
});

describe('ethcast --help says where each command runs', () => {
  it('names admin:grant among the commands that never go through a server', () => {
    const flat = topLevelHelp(1000).replace(/\s+/g, ' ');
    expect(flat).toContain('Every command but admin:grant talks to the server');
    expect(flat).toContain('admin:grant writes into the database directly');
    const grant = commands.find((c) => c.name === 'admin:grant');
    expect(grant && commandHelp(grant, 1000)).toContain('never a server');
  });
});
