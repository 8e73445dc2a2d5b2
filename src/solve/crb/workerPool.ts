/**
 * The process-wide pool of Cramér–Rao worker threads (Node-only).
 *
 * A thread costs ≈ 0.05 s to boot plus ≈ 0.05 s to load the trial modules (compiled build; ≈ 1 s
 * more from TypeScript sources through tsx), more than a small experiment takes. So threads are
 * kept: {@link prestartCrbWorkers} starts them early (the CLI does so before it loads the family,
 * so they boot while the main thread builds the setup), and every {@link runInWorkers} call reuses
 * idle ones, whose closures stay compiled and JIT-warm when the setup is the same. Idle threads are
 * unref'd (they never keep the process alive); a thread in use is ref'd.
 *
 * Trials on the main thread (optional) and `threads` pooled threads: each takes the next block of
 * trials when free; a thread still starting when the blocks run out takes none and stays in the
 * pool. Trial t always uses the stream createRng(seed, t), so results are bitwise identical for any
 * split.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CrbSetup, TrialBlock } from './runTrials.js';

interface Pooled {
  readonly worker: Worker;
  ready: boolean;
  /** Job currently using the thread (null: idle). */
  job: number | null;
  dead: boolean;
  onReady: (() => void) | null;
  onMessage: ((msg: { job: number; block?: TrialBlock; done?: true; error?: string }) => void) | null;
  onFail: ((e: Error) => void) | null;
}

const pool: Pooled[] = [];
let jobs = 0;

/**
 * The worker entry next to this module: in a compiled build the one-file bundle made by
 * scripts/build.mjs (crbWorker.bundle.js) when present, else crbWorker.js; from TypeScript sources
 * crbWorker.ts through tsx.
 */
function workerUrl(): URL {
  const ext = /\.ts$/.test(new URL(import.meta.url).pathname) ? '.ts' : '.js';
  const entry = new URL(`./crbWorker${ext}`, import.meta.url);
  if (ext === '.js') {
    const bundle = new URL('./crbWorker.bundle.js', import.meta.url);
    return existsSync(fileURLToPath(bundle)) ? bundle : entry;
  }
  // TypeScript sources (tests, `node bin/run-ts.js`): register tsx's public ESM hook in the worker.
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const apiPath = (req('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
  const api = pathToFileURL(join(dirname(pkgFile), apiPath)).href;
  const code = `import { register } from ${JSON.stringify(api)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
}

function spawn(): Pooled {
  const p: Pooled = { worker: new Worker(workerUrl()), ready: false, job: null, dead: false, onReady: null, onMessage: null, onFail: null };
  const die = (e: Error) => {
    if (p.dead) return;
    p.dead = true;
    const i = pool.indexOf(p);
    if (i >= 0) pool.splice(i, 1);
    p.onFail?.(e);
  };
  p.worker.on('message', (msg: { ready?: true; job?: number; block?: TrialBlock; error?: string }) => {
    if (msg.ready) {
      p.ready = true;
      p.onReady?.();
    } else p.onMessage?.(msg as { job: number });
  });
  p.worker.on('error', die);
  p.worker.on('exit', (code) => die(new Error(`crb worker exited with code ${code}`)));
  p.worker.unref(); // after the listeners (adding one refs the worker again)
  pool.push(p);
  return p;
}

/** Starts pooled threads now (up to `count` in all, idle or busy) so they boot in the background. */
export function prestartCrbWorkers(count: number): void {
  for (let k = pool.length; k < count; k++) spawn();
}

/** Threads in the pool (for tests and benchmarks). */
export function crbPoolSize(): number {
  return pool.length;
}

/** Ends every idle pooled thread (busy ones finish their job first and stay). */
export async function closeCrbPool(): Promise<void> {
  const idle = pool.filter((p) => p.job === null);
  for (const p of idle) {
    p.dead = true;
    pool.splice(pool.indexOf(p), 1);
  }
  await Promise.all(idle.map((p) => p.worker.terminate()));
}

/**
 * Runs trials 0..trials−1 in blocks on `threads` pooled threads and, when `kernel` is given, on the
 * main thread too. Blocks are claimed from one shared counter (Atomics.add on a SharedArrayBuffer),
 * so no thread waits for a dispatcher: the main thread only yields to the event loop between its
 * own blocks to collect the threads' results.
 */
export async function runInWorkers(
  setup: CrbSetup,
  n: number,
  seed: number,
  trials: number,
  blockSize: number,
  threads: number,
  kernel: ((start: number, end: number) => TrialBlock) | null,
  onBlock: (b: TrialBlock) => void,
): Promise<void> {
  const job = ++jobs;
  const shared = new SharedArrayBuffer(4);
  const next = new Int32Array(shared);
  let failed: Error | null = null;
  let stored = 0;
  let settle: (e?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
  finished.catch(() => undefined);
  const fail = (e: Error) => {
    if (failed) return;
    failed = e;
    Atomics.store(next, 0, trials); // nobody claims another block
    settle(e);
  };
  const store = (b: TrialBlock) => {
    onBlock(b);
    stored += b.ok.length;
    if (stored >= trials) settle();
  };
  // threads for this job: idle pooled ones first (ready ones before those still starting), then new
  const idle = pool.filter((p) => p.job === null && !p.dead).sort((a, b) => Number(b.ready) - Number(a.ready));
  const mine = idle.slice(0, threads);
  while (mine.length < threads) mine.push(spawn());
  /** Threads that received the job and have not answered done (they may hold a claimed block). */
  const working = new Set<Pooled>();
  const release = (p: Pooled) => {
    working.delete(p);
    if (p.job !== job) return;
    p.job = null;
    p.onReady = p.onMessage = p.onFail = null;
    p.worker.unref();
  };
  for (const p of mine) {
    p.job = job;
    p.worker.ref();
    p.onFail = (e) => {
      if (working.has(p) || !kernel) fail(e);
    };
    p.onMessage = (msg) => {
      if (msg.job !== job) return;
      if (msg.error !== undefined) {
        release(p); // the thread is idle again after reporting
        return fail(new Error(`crb worker failed: ${msg.error}`));
      }
      if (msg.block) store(msg.block);
      if (msg.done) release(p);
    };
    const begin = () => {
      // a thread that finishes booting after every block was claimed takes no part
      if (failed || Atomics.load(next, 0) >= trials) return release(p);
      working.add(p);
      p.worker.postMessage({ job, setup, n, seed, trials, blockSize, next: shared });
    };
    if (p.ready) begin();
    else p.onReady = begin;
  }
  try {
    for (; kernel; ) {
      if (failed) throw failed;
      const start = Atomics.add(next, 0, blockSize);
      if (start >= trials) break;
      store(kernel(start, Math.min(trials, start + blockSize)));
      await new Promise<void>((r) => setImmediate(r));
    }
    // every block claimed: wait only for blocks still running in threads
    if (stored < trials && !failed) await finished;
    if (failed) throw failed;
  } catch (e) {
    fail(e as Error);
    throw e;
  } finally {
    // On success every block is in, so a thread still "working" only has to find the counter
    // exhausted (a next job's message queues behind that): it is free. Threads still working on a
    // failed job finish their current block and are released when they answer done.
    for (const p of mine) if (!working.has(p) || stored >= trials) release(p);
  }
}
