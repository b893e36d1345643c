import { createHash } from 'node:crypto';
import type { ModelName } from '../models/point-model.ts';
import type { ModelFolderFiles } from '../registry/load-artifacts.ts';
import type { ModelMetadata } from '../registry/metadata.ts';
import { metadataFileText } from '../training/calibrated-metadata.ts';

/**
 * One model folder held in memory: the files `pnpm train` writes to models/<id>/ (for the baselines only
 * metadata.json), byte for byte, so loadModelArtifacts or a registry reading a folder can serve it.
 */
export interface ModelArtifact extends ModelFolderFiles {
  name: ModelName;
  symbol: string;
  version: string;
  metadata: ModelMetadata;
  /** artifactContentHash of the files: equal hashes, equal models (createdAt aside) */
  contentHash: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function modelArtifact(metadata: ModelMetadata): ModelArtifact {
  const files = { 'metadata.json': encoder.encode(metadataFileText(metadata)) };
  return {
    id: metadata.id,
    name: metadata.name,
    symbol: metadata.symbol,
    version: metadata.version,
    metadata,
    files,
    contentHash: artifactContentHash(files),
  };
}

/**
 * sha256 (hex) of a model folder's files in name order, each as its name, its length and its bytes.
 * metadata.json's `createdAt` is left out: it says when a model was built, not what it is, and a rebuild
 * on the same data must hash the same so storing it again changes nothing.
 */
export function artifactContentHash(files: Readonly<Record<string, Uint8Array>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    let bytes = files[name] as Uint8Array;
    if (name === 'metadata.json') {
      const { createdAt: _createdAt, ...rest } = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
      bytes = encoder.encode(JSON.stringify(rest));
    }
    hash.update(`${name}\n${bytes.byteLength}\n`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
