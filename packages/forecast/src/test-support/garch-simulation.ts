import type { GarchParams } from '../intervals/garch.ts';
import { seededRandom } from '../neural/seeded-random.ts';

/** Simulated GARCH(1,1)-t returns (whole ν only: t = z / √(χ²_ν / ν) from ν squared normals). */
export function simulateGarchT(p: GarchParams, n: number, seed: number): Float64Array {
  if (!Number.isInteger(p.nu)) throw new Error('simulation needs a whole number of degrees of freedom');
  const random = seededRandom(seed);
  const gaussian = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const unit = Math.sqrt((p.nu - 2) / p.nu);
  const out = new Float64Array(n);
  let variance = p.omega / (1 - p.alpha - p.beta);
  let prev = 0;
  // burn-in so the start does not depend on the initial variance
  for (let i = -500; i < n; i++) {
    variance = p.omega + p.alpha * prev * prev + p.beta * variance;
    let chi = 0;
    for (let k = 0; k < p.nu; k++) chi += gaussian() ** 2;
    const z = (gaussian() / Math.sqrt(chi / p.nu)) * unit;
    prev = Math.sqrt(variance) * z;
    if (i >= 0) out[i] = prev;
  }
  return out;
}
