/**
 * Multi-core products for the softmax fast path, over one shared WebAssembly memory.
 *
 * A multi-threaded model keeps all its buffers in a shared arena (wasmTiles.ts). While one of its methods runs,
 * a {@link ParallelRunner} is installed as the kernels' RowSplitter: every {@link gemmNT} or triangular solve
 * large enough (at least {@link PARALLEL_MIN_WORK} multiply-adds) on that memory is cut into blocks of OUTPUT
 * rows (never a split summation; row boundaries aligned to {@link ROW_ALIGN}). The calling thread publishes
 * the task in a control block inside the shared memory, wakes the helpers (Atomics.notify), takes blocks
 * itself like any helper, and waits (Atomics.wait) until every block is done, so each call is synchronous
 * for the caller. Blocks go to whichever thread asks first; every block computes its rows exactly as the
 * whole single-threaded product does, so the results are bitwise identical for any thread count and any
 * schedule (tested).
 *
 * This module is browser-safe: it never starts a thread. Threads come from a {@link HelperSpawner}
 * registered by the embedding (src/node/softmaxThreads.ts with node:worker_threads; Web Workers in a
 * browser would do the same: instantiate attachArena(memory) and run {@link helperLoop}). Without a spawner
 * the library default is one thread.
 */
import { gemmNT, setRowSplitter, solveRowsLower, solveRowsLowerT, type Floats, type RowSplitter } from './kernels.js';
import { ARENA_SCRATCH_DOUBLES, attachArena, type WasmArena, type WasmMemory } from './wasmTiles.js';

/** Starts `count` helper threads, each running {@link helperLoop}(memory, controlByte); close() ends them. */
export type HelperSpawner = (memory: WasmMemory, controlByte: number, count: number) => { close(): void };

let spawner: HelperSpawner | null = null;
let spawnerThreads = 1;

/**
 * Registers how helper threads are started and the default thread count of new models (the Node entry
 * registers worker_threads and os.availableParallelism()). Without a registration models use one thread.
 */
export function registerThreadSpawner(s: HelperSpawner | null, defaultThreads = 1): void {
  spawner = s;
  spawnerThreads = s ? Math.max(1, Math.floor(defaultThreads)) : 1;
}

/** Default `threads` of a model: the registered default, 1 without a spawner. */
export function defaultThreads(): number {
  return spawner ? spawnerThreads : 1;
}

/** The registered spawner, or null. */
export function threadSpawner(): HelperSpawner | null {
  return spawner;
}

/**
 * Smallest product (multiply-adds, m·n·k; about half for a lower-triangular update) split over threads.
 * Measured on the 2-core EPYC (a 240-row product split in two with a spinning helper): a split costs about
 * 7 µs more than the unsplit product, so two threads can only pay from about 4·10⁴ multiply-adds and give
 * 1.5× from about 1.5·10⁵ (≈ 40 µs at ~4 GFLOP/s) on idle cores; 2¹⁸ leaves a margin for a busy machine,
 * where a helper may wait for a core.
 */
export const PARALLEL_MIN_WORK = 1 << 18;
/** Row blocks start at multiples of this (a multiple of every register-tile height of the kernels). */
export const ROW_ALIGN = 24;
/** Most blocks per product. */
const MAX_BLOCKS = 32;
/** Blocks per thread (more than one balances a shared machine; each block re-reads the B operand). */
const BLOCKS_PER_THREAD = 4;

// ---- control block layout (inside the shared memory) ----
// Int32 slots: GEN (bumped per task; helpers wait on it), NEXT (packed nb << 12 | next block index),
// DONE (blocks finished), STOP, READY (helpers attached), SLOT (helper scratch slots taken), SCRATCH (byte
// address of the helpers' kernel scratch, one ARENA_SCRATCH_DOUBLES slot each), VARIANT (the caller's kernel variant,
// 1 = relaxed SIMD: helpers use the same one, so every thread sums in the same order), FAILED (a helper's block threw).
const GEN = 0, NEXT = 1, DONE = 2, STOP = 3, READY = 4, SLOT = 5, SCRATCH = 6, VARIANT = 7, FAILED = 8;
const CTRL_INTS = 10;
// Float64 descriptor after the ints: op and its arguments (element indices into the whole memory), then block bounds.
const D_OP = 0, D_BOUNDS = 16;
const DESC_DOUBLES = D_BOUNDS + MAX_BLOCKS + 1;
/** Doubles of arena memory the control block takes. */
const CONTROL_DOUBLES = CTRL_INTS / 2 + DESC_DOUBLES;

/** Doubles of arena memory a runner for `threads` threads reserves (control block, helpers' kernel scratch, alignment). */
export function runnerDoubles(threads: number): number {
  return CONTROL_DOUBLES + Math.max(1, (threads - 1) * ARENA_SCRATCH_DOUBLES) + 8;
}
const OP_GEMM = 0, OP_TRSM_L = 1, OP_TRSM_U = 2;

interface Shared {
  readonly f64: Float64Array;
  readonly ctrl: Int32Array;
  readonly desc: Float64Array;
}

function sharedViews(buffer: ArrayBufferLike, controlByte: number): Shared {
  return {
    f64: new Float64Array(buffer),
    ctrl: new Int32Array(buffer, controlByte, CTRL_INTS),
    desc: new Float64Array(buffer, controlByte + 4 * CTRL_INTS, DESC_DOUBLES),
  };
}

/** Takes the next block of the current task: its index and the task's block count, or null when none is left. */
function grab(ctrl: Int32Array): { i: number; nb: number } | null {
  const w = Atomics.add(ctrl, NEXT, 1);
  const i = w & 0xfff, nb = (w >>> 12) & 0xfff;
  return i < nb ? { i, nb } : null;
}

/** Runs block i of the published task (the same code on every thread). */
function runBlock(s: Shared, i: number): void {
  const { f64: f, desc: d } = s;
  const r0 = d[D_BOUNDS + i], r1 = d[D_BOUNDS + i + 1], rows = r1 - r0;
  const op = d[D_OP];
  if (op === OP_GEMM) {
    const n = d[2], k = d[3], alpha = d[4], aIdx = d[5], lda = d[6], bIdx = d[7], ldb = d[8], beta = d[9], cIdx = d[10], ldc = d[11];
    if (d[12] === 0) {
      gemmNT(rows, n, k, alpha, f, aIdx + r0 * lda, lda, f, bIdx, ldb, beta, f, cIdx + r0 * ldc, ldc);
      return;
    }
    // Lower (SYRK-style) product: the rectangle left of the block's diagonal part, then its lower triangle.
    const left = Math.min(r0, n);
    if (left > 0) gemmNT(rows, left, k, alpha, f, aIdx + r0 * lda, lda, f, bIdx, ldb, beta, f, cIdx + r0 * ldc, ldc);
    if (n > r0) gemmNT(rows, Math.min(n, r1) - r0, k, alpha, f, aIdx + r0 * lda, lda, f, bIdx + r0 * ldb, ldb, beta, f, cIdx + r0 * ldc + r0, ldc, true);
    return;
  }
  const n = d[1], lIdx = d[2], ld = d[3], bIdx = d[4], ldb = d[5];
  (op === OP_TRSM_L ? solveRowsLowerT : solveRowsLower)(n, f, lIdx, ld, rows, f, bIdx + r0 * ldb, ldb);
}

/**
 * A helper thread's loop (called by a worker after it received the shared memory and the control block's byte
 * offset): attaches the tile module to the memory, then runs blocks of published tasks until stopped.
 */
export function helperLoop(memory: WasmMemory, controlByte: number): void {
  const s = sharedViews(memory.buffer, controlByte);
  const { ctrl } = s;
  const slot = Atomics.add(ctrl, SLOT, 1);
  attachArena(memory, Atomics.load(ctrl, SCRATCH) + 8 * ARENA_SCRATCH_DOUBLES * slot, Atomics.load(ctrl, VARIANT) === 1 ? 'relaxed' : 'simd');
  Atomics.add(ctrl, READY, 1);
  let seen: number | null = null;
  for (;;) {
    const g = Atomics.load(ctrl, GEN);
    if (Atomics.load(ctrl, STOP) !== 0) return;
    if (g !== seen) {
      seen = g;
      for (let t = grab(ctrl); t; t = grab(ctrl)) {
        try {
          runBlock(s, t.i);
        } catch {
          Atomics.store(ctrl, FAILED, 1);
        }
        if (Atomics.add(ctrl, DONE, 1) + 1 === t.nb) Atomics.notify(ctrl, DONE);
      }
    }
    // Spin briefly first (a factorisation publishes its next product within tens of µs), then sleep.
    for (let spin = 0; spin < HELPER_SPIN && Atomics.load(ctrl, GEN) === g; spin++);
    Atomics.wait(ctrl, GEN, g, 10_000);
  }
}

/** Milliseconds (performance.now exists in browsers, workers and Node). */
const now = (): number => performance.now();

/** Polls of the task word by an idle helper before it sleeps (≈ 9 ns each in Node 20: about 50 µs). */
const HELPER_SPIN = 6_000;
/** Polls of the done counter by the caller before it sleeps until the helpers' last block (about 20 µs). */
const CALLER_SPIN = 2_000;

/**
 * Row boundaries (aligned to ROW_ALIGN, strictly increasing, first 0 and last m) splitting rows 0..m−1 into at
 * most nb blocks of about equal work; row i weighs min(n, i+1) for a lower product, 1 otherwise.
 */
export function rowBounds(m: number, n: number, lower: boolean, nb: number): number[] {
  const cum = (r: number) => (!lower ? r : r <= n ? (r * (r + 1)) / 2 : (n * (n + 1)) / 2 + (r - n) * n);
  const total = cum(m);
  const bounds = [0];
  let r = 0;
  for (let t = 1; t < nb; t++) {
    const target = (t * total) / nb;
    while (r < m && cum(r) < target) r += ROW_ALIGN;
    if (r >= m) break;
    if (r > bounds[bounds.length - 1]) bounds.push(r);
  }
  bounds.push(m);
  return bounds;
}

/** Tuning of a {@link ParallelRunner} (tests lower the threshold and switch the back-off off). */
export interface ParallelOptions {
  minWork?: number;
  adaptive?: boolean;
}

/**
 * Splits a model's large products over `threads` threads (the caller plus threads − 1 helpers started on
 * first use). Install it around a computation with {@link ParallelRunner.run}.
 */
export class ParallelRunner implements RowSplitter {
  readonly threads: number;
  private readonly buffer: ArrayBufferLike;
  private readonly s: Shared;
  /**
   * Products split so far, their blocks, how many of those the calling thread computed, and how often the
   * helpers lagged (then the next products ran on the calling thread only, see execute).
   */
  readonly stats = { splits: 0, blocks: 0, callerBlocks: 0, backoffs: 0 };
  private backoff = 0;
  private skip = 0;
  private helpers: { close(): void } | null = null;
  private closed = false;

  /** Smallest product split (multiply-adds). */
  readonly minWork: number;
  private readonly adaptive: boolean;

  /**
   * `arena` must be a shared arena (createArena(…, {shared: true})) with room for {@link runnerDoubles}; the
   * control block and the helpers' kernel scratch are reserved in it. Options (tests and tuning): `minWork`,
   * the split threshold (default {@link PARALLEL_MIN_WORK}); `adaptive` (default true): back off to the
   * calling thread while the helpers lag.
   */
  constructor(private readonly arena: WasmArena, threads: number, private readonly spawn: HelperSpawner, options: ParallelOptions = {}) {
    this.minWork = options.minWork ?? PARALLEL_MIN_WORK;
    this.adaptive = options.adaptive ?? true;
    this.threads = threads;
    const block = arena.alloc(CONTROL_DOUBLES);
    this.buffer = block.buffer;
    this.s = sharedViews(block.buffer, block.byteOffset);
    Atomics.store(this.s.ctrl, SCRATCH, arena.alloc(Math.max(1, (threads - 1) * ARENA_SCRATCH_DOUBLES)).byteOffset);
    Atomics.store(this.s.ctrl, VARIANT, arena.variant === 'relaxed' ? 1 : 0);
  }

  /** Runs fn with the large products it issues split over the threads. */
  run<T>(fn: () => T): T {
    if (this.threads <= 1 || this.closed) return fn();
    const prev = setRowSplitter(this);
    try {
      return fn();
    } finally {
      setRowSplitter(prev);
    }
  }

  /** Helper threads attached so far (they start in the background on the first large product). */
  get ready(): number {
    return Atomics.load(this.s.ctrl, READY);
  }

  /** Stops and terminates the helper threads (the runner then computes on the calling thread only). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { ctrl } = this.s;
    Atomics.store(ctrl, STOP, 1);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    this.helpers?.close();
    this.helpers = null;
  }

  private inMemory(x: Floats): x is Float64Array {
    return x instanceof Float64Array && x.buffer === this.buffer;
  }

  gemm(m: number, n: number, k: number, alpha: number, a: Floats, aOff: number, lda: number, b: Floats, bOff: number, ldb: number,
    beta: number, c: Floats, cOff: number, ldc: number, lower: boolean): boolean {
    const work = m * (lower ? Math.min(n, (m + 1) / 2) : n) * k;
    if (work < this.minWork || m < 2 * ROW_ALIGN || !this.inMemory(a) || !this.inMemory(b) || !this.inMemory(c) || this.skipping()) return false;
    const d = this.s.desc;
    d[D_OP] = OP_GEMM;
    d[1] = m; d[2] = n; d[3] = k; d[4] = alpha;
    d[5] = a.byteOffset / 8 + aOff; d[6] = lda; d[7] = b.byteOffset / 8 + bOff; d[8] = ldb;
    d[9] = beta; d[10] = c.byteOffset / 8 + cOff; d[11] = ldc; d[12] = lower ? 1 : 0;
    this.execute(rowBounds(m, n, lower, this.blocks(m)));
    return true;
  }

  trsm(upper: boolean, n: number, l: Floats, lOff: number, ld: number, nrhs: number, b: Floats, bOff: number, ldb: number): boolean {
    const work = (nrhs * n * n) / 2;
    if (work < this.minWork || nrhs < 2 * ROW_ALIGN || !this.inMemory(l) || !this.inMemory(b) || this.skipping()) return false;
    const d = this.s.desc;
    d[D_OP] = upper ? OP_TRSM_U : OP_TRSM_L;
    d[1] = n; d[2] = l.byteOffset / 8 + lOff; d[3] = ld; d[4] = b.byteOffset / 8 + bOff; d[5] = ldb;
    this.execute(rowBounds(nrhs, 0, false, this.blocks(nrhs)));
    return true;
  }

  private skipping(): boolean {
    if (this.skip === 0) return false;
    this.skip--;
    return true;
  }

  private blocks(rows: number): number {
    return Math.max(1, Math.min(MAX_BLOCKS, BLOCKS_PER_THREAD * this.threads, Math.floor(rows / ROW_ALIGN)));
  }

  /** Publishes the task (descriptor already written), computes blocks here too, and waits for all of them. */
  private execute(bounds: number[]): void {
    if (!this.helpers) this.helpers = this.spawn(this.arena.memory, this.s.ctrl.byteOffset, this.threads - 1);
    const { ctrl, desc } = this.s;
    const nb = bounds.length - 1;
    for (let i = 0; i <= nb; i++) desc[D_BOUNDS + i] = bounds[i];
    const prev = setRowSplitter(null);
    try {
      Atomics.store(ctrl, DONE, 0);
      Atomics.store(ctrl, NEXT, nb << 12);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      const t0 = now();
      let error: unknown = null;
      for (let t = grab(ctrl); t; t = grab(ctrl)) {
        try {
          runBlock(this.s, t.i);
        } catch (e) {
          error ??= e;
        }
        Atomics.add(ctrl, DONE, 1);
        this.stats.callerBlocks++;
      }
      this.stats.splits++;
      this.stats.blocks += nb;
      const t1 = now();
      for (let spin = 0; ; spin++) {
        const done = Atomics.load(ctrl, DONE);
        if (done >= nb) break;
        if (spin > CALLER_SPIN) Atomics.wait(ctrl, DONE, done, 100);
      }
      // Waiting longer for the helpers' last blocks than computing our own means they are not getting a core
      // (a busy machine): run the next products here, skipping 1, 2, 4, … 64 of them while it lasts. The
      // schedule never changes the results.
      if (this.adaptive && now() - t1 > t1 - t0) {
        this.backoff = Math.min(64, 2 * this.backoff || 1);
        this.skip = this.backoff;
        this.stats.backoffs++;
      } else this.backoff = 0;
      if (error !== null) throw error;
      if (Atomics.exchange(ctrl, FAILED, 0) !== 0) throw new Error('a helper thread failed while computing its block of a product');
    } finally {
      setRowSplitter(prev);
    }
  }
}
