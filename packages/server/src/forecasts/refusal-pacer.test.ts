import { describe, expect, it } from 'vitest';
import {
  FLOOD_REFUSAL_DELAY_MS,
  FLOOD_REFUSAL_MAX_DELAY_MS,
  FLOOD_REFUSALS_PER_SECOND,
  RefusalPacer,
} from './forecast-gate.ts';

describe('a flooding user’s refusals are answered late', () => {
  it('answers the first refusals of a second at once, the rest after the delay, at most Retry-After', () => {
    const pacer = new RefusalPacer();
    const t0 = 1_000_000;
    const delays = Array.from({ length: FLOOD_REFUSALS_PER_SECOND + 3 }, (_, i) =>
      pacer.delayFor(7, 60, t0 + i),
    );
    expect(delays.slice(0, FLOOD_REFUSALS_PER_SECOND)).toEqual(Array(FLOOD_REFUSALS_PER_SECOND).fill(0));
    // answered in turn, 1/FLOOD_REFUSALS_PER_SECOND s apart (each asked 1 ms after the last)
    const gap = 1000 / FLOOD_REFUSALS_PER_SECOND;
    expect(delays.slice(FLOOD_REFUSALS_PER_SECOND)).toEqual([
      FLOOD_REFUSAL_DELAY_MS,
      FLOOD_REFUSAL_DELAY_MS + gap - 1,
      FLOOD_REFUSAL_DELAY_MS + 2 * gap - 2,
    ]);
    // a refusal whose Retry-After is shorter than the delay is not held past it, when its turn has come
    const other = new RefusalPacer();
    for (let i = 0; i < FLOOD_REFUSALS_PER_SECOND; i++) other.delayFor(8, 60, t0);
    expect(other.delayFor(8, 0.25, t0 + 20)).toBe(250);
  });

  it("answers a flooder's refusals at most FLOOD_REFUSALS_PER_SECOND a second past the first, however many connections it holds open, none held past FLOOD_REFUSAL_MAX_DELAY_MS", () => {
    const pacer = new RefusalPacer();
    const t0 = 2_000_000;
    // 300 connections refused in the same millisecond
    const delays = Array.from({ length: 300 }, () => pacer.delayFor(3, 1, t0));
    const paced = delays.slice(FLOOD_REFUSALS_PER_SECOND);
    const within = (fromMs: number, toMs: number) => paced.filter((d) => d >= fromMs && d < toMs).length;
    for (let second = 1; second < FLOOD_REFUSAL_MAX_DELAY_MS / 1000; second++) {
      expect(within(second * 1000, (second + 1) * 1000)).toBe(FLOOD_REFUSALS_PER_SECOND);
    }
    expect(Math.max(...paced)).toBe(FLOOD_REFUSAL_MAX_DELAY_MS);
    expect(Math.min(...paced)).toBe(FLOOD_REFUSAL_DELAY_MS);
    // the same user's refusals a second later wait behind those
    expect(pacer.delayFor(3, 1, t0 + 1000)).toBe(0);
  });

  it('counts each user apart, and starts over in the next second', () => {
    const pacer = new RefusalPacer();
    const t0 = 5_000;
    for (let i = 0; i <= FLOOD_REFUSALS_PER_SECOND; i++) pacer.delayFor(1, 1, t0);
    // paced, after the one paced before it (1/FLOOD_REFUSALS_PER_SECOND s later)
    expect(pacer.delayFor(1, 1, t0 + 10)).toBe(
      FLOOD_REFUSAL_DELAY_MS + 1000 / FLOOD_REFUSALS_PER_SECOND - 10,
    );
    expect(pacer.delayFor(2, 1, t0 + 10)).toBe(0); // another user is not paced by the flooder
    expect(pacer.delayFor(1, 1, t0 + 1000)).toBe(0); // a new window
  });
});
