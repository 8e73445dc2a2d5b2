/**
 * Node implementation of the softmax models' helper threads (solve/softmax/parallel.ts): node:worker_threads
 * workers that share the model's WebAssembly memory. Workers are unref'ed (they never keep the process
 * alive) and terminated when the model's runner is closed (SoftmaxRegression.close(), or when the model is
 * garbage-collected). The worker entry is ./softmaxWorker with this module's extension (softmaxWorker.ts from
 * TypeScript sources is loaded through tsx's public ESM register hook, as the Cramér–Rao workers are).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { runsFromSources, workerScript } from './workerScript.js';
import { registerThreadSpawner, type HelperSpawner } from '../solve/softmax/parallel.js';

function workerUrl(): URL {
  return workerScript(new URL(`./softmaxWorker${runsFromSources(import.meta.url) ? '.ts' : '.js'}`, import.meta.url));
}

/** Starts `count` worker threads over the shared memory. */
export const nodeThreadSpawner: HelperSpawner = (memory, controlByte, count) => {
  const url = workerUrl();
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const w = new Worker(url, { workerData: { memory, controlByte } });
    w.unref();
    // A worker that fails to start takes no block: the other threads (always including the caller) do the work.
    w.on('error', () => undefined);
    workers.push(w);
  }
  return {
    close() {
      for (const w of workers) void w.terminate();
    },
  };
};

/** The machine's available cores (os.availableParallelism). */
export function availableCores(): number {
  return availableParallelism();
}

/** Makes softmax models multi-threaded by default in this process: worker_threads, `threads` = available cores. */
export function useNodeThreads(defaultThreads = availableCores()): void {
  registerThreadSpawner(nodeThreadSpawner, defaultThreads);
}
