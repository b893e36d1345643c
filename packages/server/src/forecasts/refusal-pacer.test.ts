import { describe, expect, it } from 'vitest';
import { FLOOD_REFUSAL_DELAY_MS, FLOOD_REFUSALS_PER_SECOND, RefusalPacer } from './forecast-gate.ts';

describe('a flooding user’s refusals are answered late', () => {
  it('answers the first refusals of a second at once, the rest after the delay, at most Retry-After', () => {
    const pacer = new RefusalPacer();
    const t0 = 1_000_000;
    const delays = Array.from({ length: FLOOD_REFUSALS_PER_SECOND + 3 }, (_, i) =>
      pacer.delayFor(7, 60, t0 + i),
    );
    expect(delays.slice(0, FLOOD_REFUSALS_PER_SECOND)).toEqual(Array(FLOOD_REFUSALS_PER_SECOND).fill(0));
    expect(delays.slice(FLOOD_REFUSALS_PER_SECOND)).toEqual([
      FLOOD_REFUSAL_DELAY_MS,
      FLOOD_REFUSAL_DELAY_MS,
      FLOOD_REFUSAL_DELAY_MS,
    ]);
    // a refusal whose Retry-After is shorter than the delay is not held past it
    expect(pacer.delayFor(7, 0.25, t0 + 20)).toBe(250);
  });

  it('counts each user apart, and starts over in the next second', () => {
    const pacer = new RefusalPacer();
    const t0 = 5_000;
    for (let i = 0; i <= FLOOD_REFUSALS_PER_SECOND; i++) pacer.delayFor(1, 1, t0);
    expect(pacer.delayFor(1, 1, t0 + 10)).toBe(FLOOD_REFUSAL_DELAY_MS);
    expect(pacer.delayFor(2, 1, t0 + 10)).toBe(0); // another user is not paced by the flooder
    expect(pacer.delayFor(1, 1, t0 + 1000)).toBe(0); // a new window
  });
});
