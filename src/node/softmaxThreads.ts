/**
 * Node implementation of the softmax models' helper threads (solve/softmax/parallel.ts): node:worker_threads
 * workers that share the model's WebAssembly memory. Workers are unref'ed (they never keep the process
 * alive) and terminated when the model's runner is closed (SoftmaxRegression.close(), or when the model is
 * garbage-collected). The worker entry is ./softmaxWorker with this module's extension (softmaxWorker.ts from
 * TypeScript sources is loaded through tsx's public ESM register hook, as the Cramér–Rao workers are).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerThreadSpawner, type HelperSpawner } from '../solve/softmax/parallel.js';

function workerUrl(): URL {
  const ext = /\.ts$/.test(new URL(import.meta.url).pathname) ? '.ts' : '.js';
  const entry = new URL(`./softmaxWorker${ext}`, import.meta.url);
  if (ext === '.js') return entry;
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const apiPath = (req('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
  const api = pathToFileURL(join(dirname(pkgFile), apiPath)).href;
  const code = `import { register } from ${JSON.stringify(api)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
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
