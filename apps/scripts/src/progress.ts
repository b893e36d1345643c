/** A one-line progress bar on a terminal's stderr, redrawn at most every 100 ms; silent elsewhere. */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 30) {
  const enabled = stream.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(fraction: number | null, label: string) {
      if (!enabled) return;
      const now = Date.now();
      if (now - lastDraw < 100 && fraction !== 1) return;
      lastDraw = now;
      drawn = true;
      const bar =
        fraction === null
          ? ''
          : `[${'#'.repeat(Math.round(Math.min(1, fraction) * width)).padEnd(width, '.')}] ${Math.floor(
              Math.min(1, fraction) * 100,
            )
              .toString()
              .padStart(3)}% `;
      stream.write(`\r${bar}${label}\u001b[K`);
    },
    done() {
      if (enabled && drawn) stream.write('\r\u001b[K');
    },
  };
}
