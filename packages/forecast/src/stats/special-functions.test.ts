import { describe, expect, it } from 'vitest';
import { chiSquare1Tail, logGamma, studentTCdf, studentTQuantile } from './special-functions.ts';

describe('special functions against table values', () => {
  it('log-gamma', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(2.5)).toBeCloseTo(Math.log(1.329340388179137), 12);
  });

  it('the χ²(1) tail', () => {
    expect(chiSquare1Tail(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(chiSquare1Tail(0)).toBe(1);
  });

  it("Student's t CDF and quantiles", () => {
    expect(studentTCdf(0, 4)).toBeCloseTo(0.5, 12);
    // t tables: t_{0.975}(5) = 2.570582, t_{0.9}(5) = 1.475884, t_{0.975}(30) = 2.042272
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.570582, 5);
    expect(studentTQuantile(0.9, 5)).toBeCloseTo(1.475884, 5);
    expect(studentTQuantile(0.025, 30)).toBeCloseTo(-2.042272, 5);
    // ν → ∞: the normal quantile
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 4);
    // ν = 1 (Cauchy): closed form tan(π (p − ½))
    expect(studentTQuantile(0.9, 1)).toBeCloseTo(Math.tan(Math.PI * 0.4), 6);
  });
});
