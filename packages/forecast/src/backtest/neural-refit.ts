import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEnsembleModel } from '../models/ensemble.ts';
import { createNeuralModel } from '../models/neural.ts';
import type { PointModel } from '../models/point-model.ts';
import type { ReturnScaling } from '../neural/features.ts';
import { readRnnArtifacts } from '../neural/rnn-artifacts.ts';
import { DEFAULT_RNN_HYPERPARAMETERS, type RnnHyperparameters, trainRnn } from '../neural/train-rnn.ts';
import type { ModelMetadata } from '../registry/metadata.ts';

/** One network refit of a backtest: which data it saw and what it cost. */
export interface RefitRecord {
  cell: 'lstm' | 'gru';
  /** number of closes trained on (closes[0..closes-1]) */
  closes: number;
  /** wall time of the training; for a refit found in the cache, the time it took when it was trained */
  seconds: number;
  /** true when the weights came from the refit cache instead of being trained in this run */
  cached: boolean;
}

interface FitFile {
  cell: 'lstm' | 'gru';
  closes: number;
  hyperparameters: RnnHyperparameters;
  scaling: ReturnScaling;
  seconds: number;
  epochs: number;
  bestEpoch: number;
}

export type RefitFunction = (closes: Float64Array) => Promise<PointModel>;

export interface NeuralRefitterOptions {
  /**
   * Folder that keeps every trained refit (model.json, weights.bin, fit.json) under a key made of the
   * exact closes and hyperparameters, so a second backtest over the same data reuses them. Training is
   * deterministic for a seed, so a cached refit is the network the same training would produce again.
   * Absent: each refit goes through a temp folder that is removed afterwards.
   */
  cacheDir?: string;
  onRefit?: (record: RefitRecord) => void;
}

/**
 * Refits for --retrain-every: the same recipe as a loaded network, trained on data through the refit point
 * only, and written to files and read back through the serving loader, so a refit runs exactly what would
 * be served. Refits are shared: an ensemble's network members reuse the networks' own refits.
 */
export class NeuralRefitter {
  readonly records: RefitRecord[] = [];
  private readonly fits = new Map<string, Promise<PointModel>>();

  constructor(private readonly options: NeuralRefitterOptions = {}) {}

  /** Refit function for a loaded model, or undefined when the model has nothing fitted to redo. */
  refitFor(
    metadata: ModelMetadata,
    byName: (name: string) => { metadata: ModelMetadata | null; model: PointModel } | undefined,
  ): RefitFunction | undefined {
    if (metadata.kind === 'neural') return this.networkRefit(metadata);
    if (metadata.kind !== 'ensemble') return undefined;
    const members = (metadata.members ?? []).map((name): RefitFunction => {
      const member = byName(name);
      if (!member) throw new Error(`ensemble ${metadata.id} needs member '${name}', which is not loaded`);
      if (member.metadata?.kind === 'neural') return this.networkRefit(member.metadata);
      // baselines and theta refit at every origin anyway: the loaded (stateless) model is the refit
      return async () => member.model;
    });
    const refit: RefitFunction = async (closes) =>
      createEnsembleModel(await Promise.all(members.map((m) => m(closes))), metadata.maxHorizon);
    return refit;
  }

  private networkRefit(metadata: ModelMetadata): RefitFunction {
    const cell = metadata.name === 'gru' ? 'gru' : 'lstm';
    const hp: RnnHyperparameters = {
      ...DEFAULT_RNN_HYPERPARAMETERS,
      ...(metadata.hyperparameters as Partial<RnnHyperparameters>),
      cell,
    };
    return (closes) => {
      const key = refitKey(closes, hp);
      let fit = this.fits.get(key);
      if (!fit) {
        fit = this.fit(key, closes, hp);
        this.fits.set(key, fit);
      }
      return fit;
    };
  }

  private async fit(key: string, closes: Float64Array, hp: RnnHyperparameters): Promise<PointModel> {
    const cached = this.options.cacheDir ? path.join(this.options.cacheDir, key) : null;
    if (cached && existsSync(path.join(cached, 'fit.json'))) {
      const file = JSON.parse(await readFile(path.join(cached, 'fit.json'), 'utf8')) as FitFile;
      this.record({ cell: hp.cell, closes: closes.length, seconds: file.seconds, cached: true });
      return build(cached, hp, file.scaling);
    }
    const started = performance.now();
    const trained = await trainRnn(closes, hp);
    const seconds = (performance.now() - started) / 1000;
    const file: FitFile = {
      cell: hp.cell,
      closes: closes.length,
      hyperparameters: hp,
      scaling: trained.scaling,
      seconds,
      epochs: trained.epochs.length,
      bestEpoch: trained.bestEpoch,
    };
    // staging folder + rename, so an interrupted run never leaves a half-written cache entry behind
    const parent = this.options.cacheDir ?? tmpdir();
    await mkdir(parent, { recursive: true });
    const staging = await mkdtemp(path.join(parent, `${key}.partial-`));
    try {
      await writeFile(path.join(staging, 'model.json'), JSON.stringify(trained.modelJson));
      await writeFile(path.join(staging, 'weights.bin'), trained.weightsBin);
      await writeFile(path.join(staging, 'fit.json'), `${JSON.stringify(file, null, 2)}\n`);
      const model = await build(staging, hp, trained.scaling);
      if (cached) {
        await rm(cached, { recursive: true, force: true });
        await rename(staging, cached);
      }
      this.record({ cell: hp.cell, closes: closes.length, seconds, cached: false });
      return model;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  private record(record: RefitRecord): void {
    this.records.push(record);
    this.options.onRefit?.(record);
  }
}

/** Cache key: the cell, how many closes, and a hash of the exact closes and the hyperparameters. */
export function refitKey(closes: Float64Array, hp: RnnHyperparameters): string {
  const hash = createHash('sha256');
  hash.update(Buffer.from(closes.buffer, closes.byteOffset, closes.byteLength));
  hash.update(JSON.stringify(hp, Object.keys(hp).sort()));
  return `${hp.cell}-${closes.length}-${hash.digest('hex').slice(0, 16)}`;
}

async function build(dir: string, hp: RnnHyperparameters, scaling: ReturnScaling): Promise<PointModel> {
  return createNeuralModel({
    name: hp.cell,
    window: hp.window,
    maxHorizon: hp.maxHorizon,
    scaling,
    network: await readRnnArtifacts(dir, hp.cell),
  });
}
