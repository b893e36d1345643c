/**
 * Nelder–Mead simplex minimization (standard coefficients: reflection 1, expansion 2, contraction ½,
 * shrink ½). Derivative-free, which suits likelihoods written as plain loops; restarted once from the best
 * point, the usual remedy for a simplex that collapsed early.
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: readonly number[],
  options: { step?: number; maxEvaluations?: number; tolerance?: number } = {},
): { x: number[]; value: number; evaluations: number } {
  const step = options.step ?? 0.5;
  const maxEvaluations = options.maxEvaluations ?? 4000;
  const tolerance = options.tolerance ?? 1e-10;
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let best = { x: [...start], value: evaluate([...start]) };
  for (let round = 0; round < 2; round++) {
    best = simplexRun(evaluate, best.x, step, () => evaluations < maxEvaluations, tolerance);
  }
  return { ...best, evaluations };
}

function simplexRun(
  evaluate: (x: number[]) => number,
  start: number[],
  step: number,
  budgetLeft: () => boolean,
  tolerance: number,
): { x: number[]; value: number } {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({
    x,
    value: evaluate(x),
  }));
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * ((b[i] as number) - v));
  while (budgetLeft()) {
    simplex.sort((a, b) => a.value - b.value);
    const bestPoint = simplex[0] as { x: number[]; value: number };
    const worst = simplex[n] as { x: number[]; value: number };
    if (Math.abs(worst.value - bestPoint.value) <= tolerance * (Math.abs(bestPoint.value) + tolerance)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        centroid[j] = (centroid[j] as number) + ((simplex[i] as { x: number[] }).x[j] as number) / n;
    const reflected = combine(centroid, worst.x, -1);
    const fr = evaluate(reflected);
    const secondWorst = (simplex[n - 1] as { value: number }).value;
    if (fr < bestPoint.value) {
      const expanded = combine(centroid, worst.x, -2);
      const fe = evaluate(expanded);
      simplex[n] = fe < fr ? { x: expanded, value: fe } : { x: reflected, value: fr };
    } else if (fr < secondWorst) {
      simplex[n] = { x: reflected, value: fr };
    } else {
      const outside = fr < worst.value;
      const contracted = combine(centroid, outside ? reflected : worst.x, 0.5);
      const fc = evaluate(contracted);
      if (fc < (outside ? fr : worst.value)) {
        simplex[n] = { x: contracted, value: fc };
      } else {
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = combine(bestPoint.x, p.x, 0.5);
          return { x, value: evaluate(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0] as { x: number[]; value: number };
}
