import { nelderMead } from '../stats/nelder-mead.ts';
import { logGamma } from '../stats/special-functions.ts';

/**
 * GARCH(1,1) with standardized Student-t innovations on daily log returns (zero mean: the mean daily
 * return of crypto, ~0.1%, is negligible beside its ~4% volatility, and the anchor's centre is persistence):
 *
 *   r_t = σ_t z_t,  z_t ~ t_ν scaled to unit variance,  σ²_t = ω + α r²_{t−1} + β σ²_{t−1}.
 *
 * No maintained JavaScript GARCH library exists (npm has a few unmaintained, untested ports), so it is
 * written here and tested for parameter recovery on long simulated series (garch.test.ts).
 */
export interface GarchParams {
  omega: number;
  alpha: number;
  beta: number;
  /** degrees of freedom of the t innovations (> 2, so the variance exists) */
  nu: number;
}

/** Fewest returns a fit accepts: below that ν and the persistence are not identified. */
export const MIN_GARCH_RETURNS = 250;

/** σ²_1 of the recursion: the sample variance of the returns (the usual backcast). */
function initialVariance(returns: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < returns.length; i++) sum += (returns[i] as number) ** 2;
  return sum / returns.length;
}

/** Log-likelihood of the returns under the parameters (σ²_1 = sample variance). */
export function garchLogLikelihood(returns: ArrayLike<number>, p: GarchParams): number {
  const { omega, alpha, beta, nu } = p;
  const constant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  let variance = initialVariance(returns);
  let total = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (i > 0) {
      const prev = returns[i - 1] as number;
      variance = omega + alpha * prev * prev + beta * variance;
    }
    total +=
      constant - 0.5 * Math.log(variance) - ((nu + 1) / 2) * Math.log(1 + (r * r) / ((nu - 2) * variance));
  }
  return total;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Unconstrained coordinates → parameters: ω = e^a, persistence α + β = logistic(b) ∈ (0, 1) (covariance
 * stationary), α = persistence · logistic(c), ν = 2.05 + e^d.
 */
function toParams(x: readonly number[]): GarchParams {
  const persistence = logistic(x[1] as number);
  const alpha = persistence * logistic(x[2] as number);
  return {
    omega: Math.exp(x[0] as number),
    alpha,
    beta: persistence - alpha,
    nu: 2.05 + Math.exp(x[3] as number),
  };
}

/** Maximum-likelihood fit on the returns given (the training window only: callers pass nothing later). */
export function fitGarchT(returns: ArrayLike<number>): GarchParams & { logLikelihood: number } {
  if (returns.length < MIN_GARCH_RETURNS) {
    throw new Error(`GARCH fit needs at least ${MIN_GARCH_RETURNS} returns, got ${returns.length}`);
  }
  const variance = initialVariance(returns);
  // a typical daily-returns fit: persistence 0.95 with α = 0.1, ν = 5, ω from the sample variance
  const start = [Math.log(variance * 0.05), logit(0.95), logit(0.1 / 0.95), Math.log(5 - 2.05)];
  const { x, value } = nelderMead((y) => -garchLogLikelihood(returns, toParams(y)), start, {
    step: 0.5,
    maxEvaluations: 3000,
  });
  return { ...toParams(x), logLikelihood: -value };
}

/** σ²_{T+1}: the conditional variance of the day after the last return, by the recursion over all of them. */
export function nextDayVariance(returns: ArrayLike<number>, p: GarchParams): number {
  let variance = initialVariance(returns);
  for (let i = 1; i <= returns.length; i++) {
    const prev = returns[i - 1] as number;
    variance = p.omega + p.alpha * prev * prev + p.beta * variance;
  }
  return variance;
}

/**
 * Variance of the h-day log return for h = 1..H given σ²_{T+1}: Σ_{k=1..h} E[σ²_{T+k}], where
 * E[σ²_{T+k}] = σ̄² + (α + β)^{k−1} (σ²_{T+1} − σ̄²) and σ̄² = ω / (1 − α − β), the GARCH recursion in
 * expectation (returns are uncorrelated, so daily variances add).
 */
export function horizonVariances(p: GarchParams, nextVariance: number, maxHorizon: number): Float64Array {
  const persistence = p.alpha + p.beta;
  const longRun = p.omega / (1 - persistence);
  const out = new Float64Array(maxHorizon);
  let cumulative = 0;
  let decay = 1;
  for (let h = 1; h <= maxHorizon; h++) {
    cumulative += longRun + decay * (nextVariance - longRun);
    decay *= persistence;
    out[h - 1] = cumulative;
  }
  return out;
}
