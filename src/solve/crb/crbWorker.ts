/**
 * Worker-thread entry for the Cramér–Rao Monte Carlo (started by ./crb.ts).
 * workerData: {setup, n, seed}. Messages in: {start, end} blocks, or null to exit.
 * Messages out: {ready: true} once the model is built, then one TrialBlock per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trialKernel, type CrbSetup } from './runTrials.js';

const { setup, n, seed } = workerData as { setup: CrbSetup; n: number; seed: number };
const port = parentPort!;
try {
  const source = setup.modelSource;
  const model =
    source === null
      ? null
      : source.kind === 'portable'
        ? (await import('./portableModel.js')).instantiatePortable(source.model)
        : (await import('./familyModel.js')).loadFamilyModel(source);
  const kernel = trialKernel(setup, model, n, seed);
  port.on('message', (msg: { start: number; end: number } | null) => {
    if (msg === null) {
      port.close();
      return;
    }
    const block = kernel(msg.start, msg.end);
    port.postMessage(block, [block.estimates.buffer as ArrayBuffer, block.ok.buffer as ArrayBuffer, block.iterations.buffer as ArrayBuffer]);
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ error: (e as Error)?.stack ?? String(e) });
}
