import { emitKeypressEvents } from 'node:readline';

/** Reads a secret: hidden typing on a terminal, otherwise the first line of stdin. */
export async function readSecret(question: string, readStdin: () => Promise<string>): Promise<string> {
  if (!process.stdin.isTTY) {
    const text = await readStdin();
    return text.split(/\r?\n/)[0] ?? '';
  }
  return readHidden(question, process.stdin, process.stdout);
}

type Key = { name?: string; ctrl?: boolean; meta?: boolean };

/**
 * One line typed on a terminal, read key by key in raw mode so that nothing is echoed (the terminal
 * echoes only in cooked mode); Enter ends it, Backspace deletes, Ctrl-C cancels.
 */
function readHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  output.write(question);
  emitKeypressEvents(input);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let secret = '';
    const finish = (error?: Error) => {
      input.off('keypress', onKey);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onKey = (text: string | undefined, key: Key | undefined) => {
      if (key?.ctrl && key.name === 'c') return finish(new Error('cancelled'));
      if (key?.name === 'return' || key?.name === 'enter' || (key?.ctrl && key.name === 'd')) return finish();
      if (key?.name === 'backspace') {
        secret = [...secret].slice(0, -1).join('');
        return;
      }
      if (text && !key?.ctrl && !key?.meta) secret += text;
    };
    input.on('keypress', onKey);
  });
}
