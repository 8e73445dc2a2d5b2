/**
 * Worker-thread entry for the Cramér–Rao Monte Carlo (a pooled thread of ./workerPool.ts).
 * Start-up loads only what a trial needs (the trial kernel and the portable-model rebuild), then
 * posts {ready: true}. Messages in, handled in order:
 *  - {job, setup, n, seed}: the experiment (closures rebuilt only when the setup differs from the
 *    previous job's, so a pooled thread keeps its compiled and JIT-warm closures across calls);
 *  - {job, start, end}: a block of trials, answered by {job, block} (a TrialBlock);
 *  - null: exit.
 * Failures are answered by {job, error}.
 */
import { parentPort } from 'node:worker_threads';
import { prepareTrials, type CrbSetup, type TrialBlock } from './runTrials.js';
import { instantiatePortable } from './portableModel.js';

type Msg = { job: number; setup: CrbSetup; n: number; seed: number } | { job: number; start: number; end: number } | null;

const port = parentPort!;
let cached: { key: string; prepare: ReturnType<typeof prepareTrials> } | null = null;
let kernel: ((start: number, end: number) => TrialBlock) | null = null;
let queue = Promise.resolve();

async function handle(msg: Exclude<Msg, null>): Promise<void> {
  try {
    if ('setup' in msg) {
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
      kernel = cached.prepare(msg.n, msg.seed);
      return;
    }
    if (!kernel) throw new Error('block before job');
    const block = kernel(msg.start, msg.end);
    port.postMessage({ job: msg.job, block }, [block.estimates.buffer as ArrayBuffer, block.ok.buffer as ArrayBuffer, block.iterations.buffer as ArrayBuffer]);
  } catch (e) {
    kernel = null;
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
