import { createRequire } from 'node:module';
import path from 'node:path';

type Tf = typeof import('@tensorflow/tfjs');

let ready: Promise<Tf> | null = null;

/**
 * Loads tfjs once per process and picks the fastest backend available here:
 * tfjs-node if it happens to be installed, else wasm (files resolved from the installed package, so it
 * works offline), else the pure-JS cpu backend. Only training and the equivalence test need tfjs; the
 * inference path uses the hand-written forward pass and never calls this.
 */
export function loadTf(preferred?: 'wasm' | 'cpu'): Promise<Tf> {
  if (!ready) ready = initTf(preferred ?? ((process.env.ETHCAST_TF_BACKEND as 'wasm' | 'cpu') || 'wasm'));
  return ready;
}

async function initTf(preferred: 'wasm' | 'cpu'): Promise<Tf> {
  const require = createRequire(import.meta.url);
  try {
    // Optional native backend: not a dependency, used only when present.
    const nodeBackend = 'tfjs-node';
    const tfNode = (await import(`@tensorflow/${nodeBackend}`)) as Tf;
    return tfNode;
  } catch {
    // not installed — expected on this machine
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
