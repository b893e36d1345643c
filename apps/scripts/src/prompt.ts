import { createInterface } from 'node:readline';

/** Reads a secret: hidden typing on a terminal, otherwise the first line of stdin. */
export async function readSecret(question: string, readStdin: () => Promise<string>): Promise<string> {
  if (!process.stdin.isTTY) {
    const text = await readStdin();
    return text.split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let prompted = false;
  output._writeToOutput = (s: string) => {
    // show the question, hide what is typed
    if (!prompted) {
      output.output.write(s);
      prompted = true;
    }
  };
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}
