import type { BlendWeights } from './calibration-types.ts';

/**
 * The anchor blend of the shipped band (see combination.ts), as it was re-selected before every scored
 * year by experiments/yearly-band-selection.ts. Each choice used only the outcomes known by `knownBy`,
 * with the candidates and the rule fixed before the script's first run; docs/forecast-quality.md
 * ("Yearly selection") has the evidence.
 *
 * The backtest issues the band of an origin with the choice in force on its day, so no origin is scored
 * by a choice that saw its outcome. Origins before the first choice get the conformal band alone. The last
 * choice, on every outcome known at the end of the shipped data, is what the models serve (DEFAULT_BLEND).
 * When the data are extended, rerun the script and append its choice.
 */
export const BLEND_SELECTIONS: readonly { from: string; knownBy: string; blend: BlendWeights }[] = [
  { from: '2019-01-01', knownBy: '2018-12-31', blend: { garchT: 0.125, ewmaNormal: 0 } },
  { from: '2020-01-01', knownBy: '2019-12-31', blend: { garchT: 0.125, ewmaNormal: 0.125 } },
  { from: '2021-01-01', knownBy: '2020-12-31', blend: { garchT: 0.25, ewmaNormal: 0.125 } },
  { from: '2022-01-01', knownBy: '2021-12-31', blend: { garchT: 0.125, ewmaNormal: 0.25 } },
  { from: '2023-01-01', knownBy: '2022-12-31', blend: { garchT: 0.25, ewmaNormal: 0.125 } },
  { from: '2024-01-01', knownBy: '2023-12-31', blend: { garchT: 0, ewmaNormal: 0.25 } },
  { from: '2025-01-01', knownBy: '2024-12-31', blend: { garchT: 0, ewmaNormal: 0.25 } },
  { from: '2026-01-01', knownBy: '2025-12-31', blend: { garchT: 0.125, ewmaNormal: 0.125 } },
  { from: '2026-04-01', knownBy: '2026-03-31', blend: { garchT: 0.125, ewmaNormal: 0.125 } },
];

/** The blend in force on `day` (YYYY-MM-DD); null before the first choice (the conformal band alone). */
export function scheduledBlend(day: string): BlendWeights | null {
  let blend: BlendWeights | null = null;
  for (const s of BLEND_SELECTIONS) if (s.from <= day) blend = s.blend;
  return blend;
}

/** The latest choice: what the shipped models are calibrated and served with. */
export const LATEST_BLEND: BlendWeights = (
  BLEND_SELECTIONS[BLEND_SELECTIONS.length - 1] as {
    blend: BlendWeights;
  }
).blend;
