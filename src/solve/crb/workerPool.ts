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
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runsFromSources, workerScript } from '../../node/workerScript.js';
import type { CrbSetup, TrialBlock, TrialFailure } from './runTrials.js';

interface Pooled {
  readonly worker: Worker;
  ready: boolean;
  /** Job currently using the thread (null: idle). */
  job: number | null;
  dead: boolean;
  onReady: (() => void) | null;
  onMessage: ((msg: { job: number; done?: true; method?: string; failure?: TrialFailure | null; error?: string }) => void) | null;
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
  if (runsFromSources(import.meta.url)) return workerScript(new URL('./crbWorker.ts', import.meta.url));
  const bundle = new URL('./crbWorker.bundle.js', import.meta.url);
  return existsSync(fileURLToPath(bundle)) ? bundle : new URL('./crbWorker.js', import.meta.url);
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
  p.worker.on('message', (msg: { ready?: true; job?: number; done?: true; method?: string; failure?: TrialFailure | null; error?: string }) => {
    if (msg.ready) {
      const go = p.onReady;
      p.ready = true;
      go?.();
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

/** Where the threads put their results (shared memory) and how the main thread reports. */
export interface SharedResults {
  /** Trial t's estimate at [t·dim, (t+1)·dim), over a SharedArrayBuffer. */
  readonly estimates: Float64Array;
  readonly ok: Uint8Array;
  readonly iterations: Int32Array;
  /** Stores a block computed on the main thread. */
  store(b: TrialBlock): void;
  /** A thread's summary: its MLE method and its first failed trial, if any. */
  note(method: string, failure: TrialFailure | null): void;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs trials 0..trials−1 in blocks on `threads` pooled threads and, when `kernel` is given, on the
 * main thread too. Blocks are claimed from one shared counter (Atomics.add on a SharedArrayBuffer)
 * and the threads write their results in place into `out`, so no thread waits for a dispatcher and
 * no message is exchanged per block: a thread posts one summary when the counter is exhausted. The
 * main thread yields to the event loop between its blocks only while a thread it waits for is still
 * booting (its "ready" message starts it on the job).
 */
export async function runInWorkers(
  setup: CrbSetup,
  n: number,
  seed: number,
  trials: number,
  blockSize: number,
  threads: number,
  kernel: ((start: number, end: number) => TrialBlock) | null,
  out: SharedResults,
): Promise<void> {
  const job = ++jobs;
  const counterBuffer = new SharedArrayBuffer(8);
  /** [0]: next unclaimed trial; [1]: trials finished. */
  const counter = new Int32Array(counterBuffer);
  let failed: Error | null = null;
  let settle: (e?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
  finished.catch(() => undefined);
  const fail = (e: Error) => {
    if (failed) return;
    failed = e;
    Atomics.store(counter, 0, trials); // nobody claims another block
    settle(e);
  };
  // threads for this job: idle pooled ones first (ready ones before those still starting), then new
  const idle = pool.filter((p) => p.job === null && !p.dead).sort((a, b) => Number(b.ready) - Number(a.ready));
  const mine = idle.slice(0, threads);
  while (mine.length < threads) mine.push(spawn());
  /** Threads that received the job and have not posted their summary. */
  const working = new Set<Pooled>();
  /** Threads of this job still booting (started on the job by their "ready" message). */
  const booting = new Set<Pooled>();
  const release = (p: Pooled) => {
    working.delete(p);
    if (p.job !== job) return;
    p.job = null;
    p.onReady = p.onMessage = p.onFail = null;
    p.worker.unref();
  };
  const check = () => {
    if (!failed && working.size === 0 && booting.size === 0 && Atomics.load(counter, 1) >= trials) settle();
  };
  for (const p of mine) {
    p.job = job;
    p.worker.ref();
    p.onFail = (e) => {
      booting.delete(p);
      if (working.has(p) || !kernel) fail(e);
    };
    p.onMessage = (msg) => {
      if (msg.job !== job) return;
      if (msg.error !== undefined) {
        release(p); // the thread is idle again after reporting
        return fail(new Error(`crb worker failed: ${msg.error}`));
      }
      if (msg.done) {
        out.note(msg.method ?? '', msg.failure ?? null);
        release(p);
        check();
      }
    };
    const begin = () => {
      booting.delete(p);
      // a thread that finishes booting after every block was claimed takes no part
      if (failed || Atomics.load(counter, 0) >= trials) {
        release(p);
        check();
        return;
      }
      working.add(p);
      p.worker.postMessage({
        job,
        setup,
        n,
        seed,
        trials,
        blockSize,
        counter: counterBuffer,
        estimates: out.estimates.buffer,
        ok: out.ok.buffer,
        iterations: out.iterations.buffer,
      });
    };
    if (p.ready) begin();
    else {
      booting.add(p);
      p.onReady = begin;
    }
  }
  let reported = 0;
  try {
    for (; kernel; ) {
      if (failed) throw failed;
      const start = Atomics.add(counter, 0, blockSize);
      if (start >= trials) break;
      const end = Math.min(trials, start + blockSize);
      out.store(kernel(start, end));
      reported = Atomics.add(counter, 1, end - start) + end - start;
      out.onProgress?.(reported, trials);
      // serve "ready" messages of threads still booting (they join on the remaining blocks)
      if (booting.size > 0) await new Promise<void>((r) => setImmediate(r));
    }
    if (kernel) {
      // every block claimed: threads still booting take none
      for (const p of booting) release(p);
      booting.clear();
    }
    check();
    if (!failed) await finished;
    if (failed) throw failed;
    if (reported < trials) out.onProgress?.(trials, trials);
  } catch (e) {
    fail(e as Error);
    throw e;
  }
}
