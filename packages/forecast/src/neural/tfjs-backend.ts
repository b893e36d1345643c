import { createRequire } from 'node:module';
import path from 'node:path';

type Tf = typeof import('@tensorflow/tfjs');
export type TfBackend = 'wasm' | 'cpu';
export const TF_BACKENDS: readonly TfBackend[] = ['wasm', 'cpu'];

let ready: Promise<Tf> | null = null;
let preferred: TfBackend = 'wasm';

/**
 * The backend the first loadTf tries when tfjs-node is absent (the CLIs pass ETHCAST_TF_BACKEND); no effect
 * once tfjs is loaded.
 */
export function preferTfBackend(backend: TfBackend): void {
  preferred = backend;
}

/**
 * Loads tfjs once per process and picks the fastest backend available here:
 * tfjs-node if it happens to be installed, else wasm (files resolved from the installed package, so it
 * works offline), else the pure-JS cpu backend. Only training and the equivalence test need tfjs; the
 * inference path uses the hand-written forward pass and never calls this.
 */
export function loadTf(): Promise<Tf> {
  if (!ready) ready = initTf(preferred);
  return ready;
}

async function initTf(preferred: TfBackend): Promise<Tf> {
  const require = createRequire(import.meta.url);
  try {
    // Optional native backend: not a dependency, used only when present.
    const nodeBackend = 'tfjs-node';
    const tfNode = (await import(`@tensorflow/${nodeBackend}`)) as Tf;
    return tfNode;
  } catch {
    // not installed: it is an optional native build
  }
  const tf = await import('@tensorflow/tfjs');
  if (preferred === 'wasm') {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const distDir = path.dirname(
        require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
      );
      wasm.setWasmPaths(`${distDir}${path.sep}`);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf;
      }
    } catch {
      // fall through to cpu
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}
