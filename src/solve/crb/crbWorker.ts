/**
 * Worker-thread entry for the Cramér–Rao Monte Carlo (a pooled thread of ./workerPool.ts).
 * Start-up loads only what a trial needs (the trial kernel and the portable-model rebuild), then
 * posts {ready: true}. Messages in, handled in order:
 *  - {job, setup, n, seed, trials, blockSize, next}: the experiment (closures rebuilt only when the
 *    setup differs from the previous job's, so a pooled thread keeps its compiled and JIT-warm
 *    closures across calls); then the thread claims blocks of trials from the shared counter
 *    (Atomics.add, the same counter the main thread and the other threads claim from: nobody waits
 *    for a dispatcher), writes each block's results in place into the shared arrays, counts them
 *    done, and finally answers {job, done: true, method, failure} (its first failure message);
 *  - null: exit.
 * Failures are answered by {job, error}.
 */
import { parentPort } from 'node:worker_threads';
import { prepareTrials, type CrbSetup, type TrialBlock, type TrialFailure } from './runTrials.js';
import { instantiatePortable } from './portableModel.js';

type Msg = {
  job: number;
  setup: CrbSetup;
  n: number;
  seed: number;
  trials: number;
  blockSize: number;
  /** Int32 [next unclaimed trial, trials finished]. */
  counter: SharedArrayBuffer;
  estimates: SharedArrayBuffer;
  ok: SharedArrayBuffer;
  iterations: SharedArrayBuffer;
} | null;

const port = parentPort!;
let cached: { key: string; prepare: ReturnType<typeof prepareTrials> } | null = null;
let queue = Promise.resolve();

async function handle(msg: Exclude<Msg, null>): Promise<void> {
  try {
    {
      const key = JSON.stringify(msg.setup);
      if (cached?.key !== key) {
        const source = msg.setup.modelSource;
        const model =
          source === null
            ? null
            : source.kind === 'portable'
              ? instantiatePortable(source.model)
              : (await import('./familyModel.js')).loadFamilyModel(source);
        cached = { key, prepare: prepareTrials(msg.setup, model) };
      }
    }
    const kernel = cached.prepare(msg.n, msg.seed);
    const d = msg.setup.paramNames.length;
    const counter = new Int32Array(msg.counter);
    const estimates = new Float64Array(msg.estimates);
    const ok = new Uint8Array(msg.ok);
    const iterations = new Int32Array(msg.iterations);
    let method = '';
    let failure: TrialFailure | null = null;
    for (;;) {
      const start = Atomics.add(counter, 0, msg.blockSize);
      if (start >= msg.trials) break;
      const end = Math.min(msg.trials, start + msg.blockSize);
      const block: TrialBlock = kernel(start, end);
      estimates.set(block.estimates, start * d);
      ok.set(block.ok, start);
      iterations.set(block.iterations, start);
      method ||= block.method;
      failure ??= block.failure; // blocks come in increasing order: the first is the earliest
      Atomics.add(counter, 1, end - start);
    }
    port.postMessage({ job: msg.job, done: true, method, failure });
  } catch (e) {
    port.postMessage({ job: msg.job, error: (e as Error)?.stack ?? String(e) });
  }
}

port.on('message', (msg: Msg) => {
  if (msg === null) {
    port.close();
    return;
  }
  queue = queue.then(() => handle(msg));
});
port.postMessage({ ready: true });
