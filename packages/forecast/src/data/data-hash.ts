import { createHash } from 'node:crypto';
import type { DailyBar } from '../types.ts';

/** sha256 of the `day,close` lines a model was trained on, so a model folder names its exact data. */
export function dataHash(bars: readonly DailyBar[]): string {
  const hash = createHash('sha256');
  for (const bar of bars) hash.update(`${bar.day},${bar.close}\n`);
  return hash.digest('hex');
}
