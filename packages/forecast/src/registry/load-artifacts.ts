import { ForecastError } from '../errors.ts';
import { buildLoadedModels, type LoadedModel } from './load-registry.ts';
import { type ModelMetadata, validateMetadata } from './metadata.ts';

/** A model folder held in memory (a per-symbol build's artifact): its id and its files by name. */
export interface ModelFolderFiles {
  id: string;
  files: Readonly<Record<string, Uint8Array>>;
}

/**
 * Builds runnable models from model folders held in memory, validated exactly as loadModels validates
 * models/<id>/ (the same metadata checks, the id must match). Folders whose model reads more files than
 * metadata.json (lstm, gru) are refused for now: their weights are read from disk.
 */
export async function loadModelArtifacts(
  folders: readonly ModelFolderFiles[],
  options: { symbol?: string } = {},
): Promise<LoadedModel[]> {
  const metadatas: { metadata: ModelMetadata; dir: null }[] = [];
  for (const folder of [...folders].sort((a, b) => a.id.localeCompare(b.id))) {
    const where = `artifact ${folder.id}`;
    const bytes = folder.files['metadata.json'];
    let raw: unknown;
    try {
      if (!bytes) throw new Error('no such file');
      raw = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new ForecastError(
        'CORRUPT_MODEL',
        `model ${folder.id}: cannot read metadata.json (${(error as Error).message})`,
        { dir: where },
      );
    }
    const metadata = validateMetadata(raw, where);
    if (metadata.id !== folder.id) {
      throw new ForecastError(
        'CORRUPT_MODEL',
        `model folder ${folder.id} holds metadata for '${metadata.id}'`,
        {
          dir: where,
        },
      );
    }
    if (metadata.kind === 'neural') {
      throw new ForecastError('CORRUPT_MODEL', `model ${folder.id}: neural weights load from a folder only`, {
        dir: where,
      });
    }
    if (options.symbol && metadata.symbol !== options.symbol) continue;
    metadatas.push({ metadata, dir: null });
  }
  return buildLoadedModels(
    metadatas,
    options.symbol ? [options.symbol] : metadatas.map(({ metadata }) => metadata.symbol),
  );
}
