/**
 * Worker-thread entry for the Cramér–Rao Monte Carlo (a pooled thread of ./workerPool.ts).
 * Start-up loads only what a trial needs (the trial kernel and the portable-model rebuild), then
 * posts {ready: true}. Messages in, handled in order:
 *  - {job, setup, n, seed, trials, blockSize, next}: the experiment (closures rebuilt only when the
 *    setup differs from the previous job's, so a pooled thread keeps its compiled and JIT-warm
 *    closures across calls); then the thread claims blocks of trials from the shared counter `next`
 *    (Atomics.add, the same counter the main thread and the other threads claim from: nobody waits
 *    for a dispatcher) and answers each with {job, block} (a TrialBlock), then {job, done: true};
 *  - null: exit.
 * Failures are answered by {job, error}.
 */
import { parentPort } from 'node:worker_threads';
import { prepareTrials, type CrbSetup, type TrialBlock } from './runTrials.js';
import { instantiatePortable } from './portableModel.js';

type Msg = { job: number; setup: CrbSetup; n: number; seed: number; trials: number; blockSize: number; next: SharedArrayBuffer } | null;

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
    const next = new Int32Array(msg.next);
    for (;;) {
      const start = Atomics.add(next, 0, msg.blockSize);
      if (start >= msg.trials) break;
      const block: TrialBlock = kernel(start, Math.min(msg.trials, start + msg.blockSize));
      port.postMessage({ job: msg.job, block }, [block.estimates.buffer as ArrayBuffer, block.ok.buffer as ArrayBuffer, block.iterations.buffer as ArrayBuffer]);
    }
    port.postMessage({ job: msg.job, done: true });
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
