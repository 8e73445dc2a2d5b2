/**
 * Softmax regression model with allocation-free loss, gradient and Fisher kernels.
 *
 * Conventions (docs/softmax.md): logits s = W x + b with W of shape C×D; loss = mean over the
 * N examples of the cross-entropy −log p_{y_n}(x_n). Parameters are θ = vec_rowmajor(W̃) with
 * W̃ = [W | b] (C × (D+1)), so θ[c*(D+1) + j] = W[c][j] for j < D and θ[c*(D+1) + D] = b[c];
 * x̃ = [x; 1]. Gradients and Fisher-vector products use the same flattening.
 *
 * The model keeps the augmented data in both orientations (X̃, N×(D+1), and X̃ᵀ, (D+1)×N) so that
 * every heavy operation is one {@link gemmNT}; with float64 storage all buffers live in a private
 * WebAssembly memory and the products run on its packed f64x2 SIMD GEMM (scalar JS when SIMD is missing).
 * With float32 storage the data, parameters and intermediate buffers are Float32Array (arithmetic
 * inside the kernels is still double).
 */
import { argmaxAccuracy, cholesky, gemmNT, mirrorLower, solveRowsLower, solveRowsLowerT, transpose, type Floats } from './kernels.js';
import { defaultThreads, ParallelRunner, runnerDoubles, threadSpawner, type ParallelOptions } from './parallel.js';
import { createArena, type WasmArena } from './wasmTiles.js';
import { jsCgVectors, type CgVectors } from './conjugateGradient.js';

export type Dtype = 'float64' | 'float32';

/** A labelled data set: X is N×D row-major, y holds class indices 0..C−1. */
export interface SoftmaxData {
  readonly C: number;
  readonly D: number;
  readonly N: number;
  readonly X: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface SoftmaxOptions {
  dtype?: Dtype;
  /** Use WebAssembly SIMD kernels when available (float64 only). Default true. */
  simd?: boolean;
  /**
   * Threads for the large products (float64 with SIMD only): the calling thread plus threads − 1 helpers over
   * shared memory, started on the first large product. Results are bitwise identical for every value.
   * Default: the registered default (the Node entry `infogeo` and the CLI: the available cores), else 1.
   */
  threads?: number;
  /** Tuning of the split (tests): `minWork` (default PARALLEL_MIN_WORK), `adaptive` back-off (default true); see parallel.ts. */
  parallel?: ParallelOptions;
}

/** Closes a collected model's helper threads. */
const runners = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<ParallelRunner>((r) => r.close()) : null;

/** Largest N×N Gram matrix placed in SIMD memory (bigger ones use plain arrays and scalar kernels). */
const MAX_ARENA_GRAM = 1 << 22;
/** Input columns per block of the diagonal-Fisher product (a DIAG_ROWS × N scratch of squared inputs). */
const DIAG_ROWS = 96;

/**
 * Softmax regression on a fixed data set. Call {@link SoftmaxRegression.setParams} (or
 * {@link SoftmaxRegression.lossAndGrad}) first: Fisher products use the probabilities of the last
 * evaluated θ.
 */
export class SoftmaxRegression {
  readonly C: number;
  readonly D: number;
  readonly N: number;
  /** D + 1 (augmented input width). */
  readonly Dp: number;
  /** Number of parameters C·(D+1). */
  readonly dim: number;
  readonly dtype: Dtype;
  readonly labels: Int32Array;
  /** True when the products run on WebAssembly SIMD. */
  readonly simd: boolean;
  /** Which WebAssembly kernels run the products: relaxed SIMD (fused multiply-add), plain SIMD, or none (scalar JS). */
  readonly wasmVariant: 'relaxed' | 'simd' | null;
  /** X̃ (N×(D+1), last column 1). */
  readonly Xa: Floats;
  /** X̃ᵀ ((D+1)×N, last row 1). */
  readonly XaT: Floats;
  /** W̃ (C×(D+1)), the current parameters. */
  readonly W: Floats;
  /** Probabilities p_n (N×C) at the current parameters. */
  readonly P: Floats;
  /** Threads its large products use (1 without SIMD, without a thread spawner, or when asked). */
  readonly threads: number;
  private readonly arena: WasmArena | null;
  /** The multi-thread runner (null with one thread): its `stats` count the products split. */
  readonly runner: ParallelRunner | null = null;
  private readonly Et: Floats; // C×N scratch (transposed residuals)
  private readonly U: Floats; // N×C scratch
  private readonly V: Floats; // C×(D+1) scratch (input vector)
  private aBuf: Floats | null = null;
  private aFactor: Floats | null = null;
  private gFactor: Floats | null = null;
  private gBuf: Floats | null = null;
  private rhsT: Floats | null = null;
  /** Bumped by kfacFactors(); the cached factorisations below belong to one version and shift. */
  private kfacVersion = 0;
  private factored: { version: number; shift: number; okA: boolean; okG: boolean } | null = null;
  private gram: Floats | null = null;
  private square: Float64Array | null = null;
  private squareOwner: object | null = null;
  private lossValue = NaN;

  constructor(data: SoftmaxData, options: SoftmaxOptions = {}) {
    const { C, D, N } = data;
    if (!(Number.isInteger(C) && C >= 2 && Number.isInteger(D) && D >= 1 && Number.isInteger(N) && N >= 1)) {
      throw new RangeError(`bad sizes C=${C}, D=${D}, N=${N} (need C ≥ 2, D ≥ 1, N ≥ 1)`);
    }
    if (data.X.length !== N * D) throw new RangeError(`X has ${data.X.length} entries, expected N·D = ${N * D}`);
    if (data.y.length !== N) throw new RangeError(`y has ${data.y.length} entries, expected N = ${N}`);
    this.C = C; this.D = D; this.N = N; this.Dp = D + 1; this.dim = C * (D + 1);
    this.dtype = options.dtype ?? 'float64';
    this.labels = new Int32Array(N);
    for (let n = 0; n < N; n++) {
      const v = data.y[n];
      if (!Number.isInteger(v) || v < 0 || v >= C) throw new RangeError(`label y[${n}] = ${v} is not an integer in 0..${C - 1}`);
      this.labels[n] = v;
    }
    const Dp = D + 1;
    const fixed = 2 * N * Dp + 2 * C * N + N * C + 8 * C * Dp + 2 * Dp * Dp + 2 * C * C + DIAG_ROWS * N + 256;
    const gramSize = N * N <= MAX_ARENA_GRAM ? N * N : 0;
    const threads = options.threads ?? defaultThreads();
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) throw new RangeError(`threads must be an integer in 1..256, got ${threads}`);
    const spawn = threadSpawner();
    if (threads > 1 && !spawn) throw new RangeError(`threads = ${threads} needs a thread spawner (import 'infogeo' in Node, or registerThreadSpawner); without one use threads: 1`);
    const wantArena = this.dtype === 'float64' && options.simd !== false;
    // Two N×N slots: the input Gram matrix and the Woodbury factor of an outer-product Fisher (pages never touched cost no memory).
    const shared = wantArena && threads > 1 ? createArena(fixed + 2 * gramSize + runnerDoubles(threads), { shared: true }) : null;
    this.arena = shared ?? (wantArena ? createArena(fixed + 2 * gramSize) : null);
    this.simd = this.arena !== null;
    this.wasmVariant = this.arena?.variant ?? null;
    if (shared && spawn) {
      this.runner = new ParallelRunner(shared, threads, spawn, options.parallel);
      runners?.register(this, this.runner, this);
    }
    this.threads = this.runner?.threads ?? 1;
    const alloc = (n: number): Floats =>
      this.arena ? this.arena.alloc(n) : this.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    this.Xa = alloc(N * Dp);
    this.XaT = alloc(Dp * N);
    this.W = alloc(C * Dp);
    this.P = alloc(N * C);
    this.Et = alloc(C * N);
    this.U = alloc(N * C);
    this.V = alloc(C * Dp);
    if (this.arena) {
      this.aBuf = alloc(Dp * Dp);
      this.aFactor = alloc(Dp * Dp);
      this.gFactor = alloc(C * C);
      this.rhsT = alloc(Dp * C);
      this.diagScratch = alloc(DIAG_ROWS * N);
      if (gramSize) {
        this.gram = alloc(gramSize);
        this.square = this.arena.alloc(gramSize);
      }
    }
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < D; j++) this.Xa[n * Dp + j] = data.X[n * D + j];
      this.Xa[n * Dp + D] = 1;
    }
    transpose(N, Dp, this.Xa, this.XaT);
  }

  /** Allocates a buffer in the model's storage type (outside SIMD memory). */
  private plain(n: number): Floats {
    return this.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  }

  /** Sets θ and recomputes the probabilities; returns the loss. */
  setParams(theta: ArrayLike<number>): number {
    return this.parallel(() => this.setParamsHere(theta));
  }

  /**
   * An R×R row-major buffer (R ≤ N) in the model's SIMD memory, lent to one owner at a time (the Woodbury
   * factor of an outer-product Fisher); null when the model has none. {@link squareOwnedBy} tells an owner
   * whether its contents are still its own.
   */
  squareScratch(R: number, owner: object): Float64Array | null {
    if (!this.square || R > this.N) return null;
    this.squareOwner = owner;
    return this.square.subarray(0, R * R);
  }

  squareOwnedBy(owner: object): boolean {
    return this.squareOwner === owner;
  }

  /** Runs fn with the large products it issues (on this model's memory) split over the model's threads. */
  parallel<T>(fn: () => T): T {
    return this.runner ? this.runner.run(fn) : fn();
  }

  /**
   * Stops the model's helper threads (if any); later calls compute on the calling thread only. Helpers are
   * also stopped when the model is garbage-collected, and never keep the process alive.
   */
  close(): void {
    if (!this.runner) return;
    this.runner.close();
    runners?.unregister(this);
  }

  private setParamsHere(theta: ArrayLike<number>): number {
    if (theta.length !== this.dim) throw new RangeError(`θ has ${theta.length} entries, expected C·(D+1) = ${this.dim}`);
    const W = this.W;
    for (let i = 0; i < this.dim; i++) W[i] = theta[i];
    return this.forward();
  }

  /** Loss at the last θ given to setParams/lossAndGrad. */
  get loss(): number {
    return this.lossValue;
  }

  private forward(): number {
    const { C, N, Dp, P } = this;
    gemmNT(N, C, Dp, 1, this.Xa, 0, Dp, this.W, 0, Dp, 0, P, 0, C);
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const o = n * C;
      let mx = -Infinity;
      for (let c = 0; c < C; c++) if (P[o + c] > mx) mx = P[o + c];
      // log-sum-exp: −log p_y = log Σ_c e^{s_c − m} − (s_y − m), exact even when e^{s_y − m} underflows
      const sy = P[o + this.labels[n]] - mx;
      let z = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(P[o + c] - mx);
        P[o + c] = e;
        z += e;
      }
      const inv = 1 / z;
      for (let c = 0; c < C; c++) P[o + c] *= inv;
      loss += Math.log(z) - sy;
    }
    this.lossValue = loss / N;
    return this.lossValue;
  }

  /**
   * Sets θ, then writes ∇θ loss into `grad` (flattened θ order) and returns the loss.
   * `grad` may be any array of length C·(D+1).
   */
  lossAndGrad(theta: ArrayLike<number>, grad: Floats | number[]): number {
    return this.parallel(() => this.lossAndGradHere(theta, grad));
  }

  private lossAndGradHere(theta: ArrayLike<number>, grad: Floats | number[]): number {
    const loss = this.setParamsHere(theta);
    const { C, N, Dp, P, Et } = this;
    transpose(N, C, P, Et);
    for (let n = 0; n < N; n++) Et[this.labels[n] * N + n] -= 1;
    this.productEX(grad);
    return loss;
  }

  /**
   * out ← F v with F the exact (true) Fisher (1/N) Σ_n (diag p_n − p_n p_nᵀ) ⊗ x̃_n x̃_nᵀ at the current θ.
   * v and out are in flattened θ order (they may alias).
   */
  fisherVector(v: ArrayLike<number>, out: Floats | number[]): void {
    this.parallel(() => this.fisherVectorHere(v, out));
  }

  private fisherVectorHere(v: ArrayLike<number>, out: Floats | number[]): void {
    const { C, N, Dp, P, U, Et, V } = this;
    for (let i = 0; i < this.dim; i++) V[i] = v[i];
    gemmNT(N, C, Dp, 1, this.Xa, 0, Dp, V, 0, Dp, 0, U, 0, C);
    for (let n = 0; n < N; n++) {
      const o = n * C;
      let pu = 0;
      for (let c = 0; c < C; c++) pu += P[o + c] * U[o + c];
      for (let c = 0; c < C; c++) U[o + c] = P[o + c] * (U[o + c] - pu);
    }
    transpose(N, C, U, Et);
    this.productEX(out);
  }

  /**
   * out ← vec((1/N) Eᵀ X̃) for the residuals held transposed in Et (C × N). Computed as its transpose
   * X̃ᵀ E ((D+1) × C, all rows in full 4-row SIMD strips even for small C), then transposed into out.
   */
  private productEX(out: Floats | number[]): void {
    const { C, N, Dp } = this;
    const T = this.rhsT ?? (this.rhsT = this.plain(Dp * C));
    gemmNT(Dp, C, N, 1 / N, this.XaT, 0, N, this.Et, 0, N, 0, T, 0, C);
    if (out instanceof Float64Array || out instanceof Float32Array) transpose(Dp, C, T, out);
    else for (let c = 0; c < C; c++) for (let j = 0; j < Dp; j++) out[c * Dp + j] = T[j * C + c];
  }

  /** Diagonal of the exact Fisher: F_(c,j),(c,j) = (1/N) Σ_n p_nc (1 − p_nc) x̃_nj², flattened θ order. */
  diagFisher(out: Floats | number[] = new Float64Array(this.dim)): Floats | number[] {
    return this.parallel(() => this.diagFisherHere(out));
  }

  /**
   * As the NT product T = (X̃∘X̃)ᵀ Q / N ((D+1) × C, q_nc = p_nc (1 − p_nc)), computed DIAG_ROWS input
   * columns at a time from squared rows of X̃ᵀ in a scratch block, then transposed into θ order.
   */
  private diagFisherHere(out: Floats | number[]): Floats | number[] {
    const { C, N, Dp, P, Et, XaT } = this;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const p = P[n * C + c];
        Et[c * N + n] = p * (1 - p);
      }
    }
    const S = this.diagScratch ?? (this.diagScratch = this.plain(DIAG_ROWS * N));
    const T = this.rhsT ?? (this.rhsT = this.plain(Dp * C));
    for (let j0 = 0; j0 < Dp; j0 += DIAG_ROWS) {
      const rows = Math.min(DIAG_ROWS, Dp - j0);
      for (let i = 0, o = j0 * N; i < rows * N; i++, o++) S[i] = XaT[o] * XaT[o];
      gemmNT(rows, C, N, 1 / N, S, 0, N, Et, 0, N, 0, T, j0 * C, C);
    }
    for (let c = 0; c < C; c++) for (let j = 0; j < Dp; j++) out[c * Dp + j] = T[j * C + c];
    return out;
  }
  private diagScratch: Floats | null = null;

  /**
   * K-FAC factors at the current θ: A = (1/N) Σ x̃ x̃ᵀ ((D+1)×(D+1)) and G = (1/N) Σ (diag p − p pᵀ) (C×C),
   * both row-major and symmetric. The returned A is the model's own buffer. A depends on the data
   * only, so it is computed once and reused unless `recomputeA` (benchmarks) asks otherwise.
   */
  kfacFactors(recomputeA = false): { A: Floats; G: Float64Array } {
    return this.parallel(() => this.kfacFactorsHere(recomputeA));
  }

  private kfacFactorsHere(recomputeA: boolean): { A: Floats; G: Float64Array } {
    const { C, N, Dp, P } = this;
    const A = this.aBuf ?? (this.aBuf = this.plain(Dp * Dp));
    if (recomputeA || !this.aReady) {
      gemmNT(Dp, Dp, N, 1 / N, this.XaT, 0, N, this.XaT, 0, N, 0, A, 0, Dp, true);
      mirrorLower(Dp, A, 0, Dp);
      this.aReady = true;
    }
    // G = diag(mean p) − Pᵀ P / N, the product as a lower NT update over Pᵀ (C × N, in Et).
    const { Et } = this;
    transpose(N, C, P, Et);
    const GG = this.gBuf ?? (this.gBuf = this.arena ? this.arena.alloc(C * C) : this.plain(C * C));
    gemmNT(C, C, N, -1 / N, Et, 0, N, Et, 0, N, 0, GG, 0, C, true);
    const G = new Float64Array(C * C);
    for (let c = 0; c < C; c++) {
      let mean = 0;
      for (let n = 0; n < N; n++) mean += Et[c * N + n];
      for (let d = 0; d < c; d++) G[c * C + d] = G[d * C + c] = GG[c * C + d];
      G[c * C + c] = GG[c * C + c] + mean / N;
    }
    this.kfacVersion++;
    this.lastG = G;
    return { A, G };
  }
  private lastG: Float64Array | null = null;
  private aReady = false;

  /**
   * The K-FAC damped solve out = (G + s I)^{-1} V (A + s I)^{-1}, s = √λ, for the factors last returned by
   * {@link kfacFactors} and V = reshape(v) (C × (D+1), θ order). Factorisations are cached per λ;
   * all products run in the model's SIMD memory. Returns false (out untouched) when a damped factor
   * is not positive definite.
   */
  kfacSolve(damping: number, v: ArrayLike<number>, out: Float64Array): boolean {
    return this.parallel(() => this.kfacSolveHere(damping, v, out));
  }

  private kfacSolveHere(damping: number, v: ArrayLike<number>, out: Float64Array): boolean {
    const { C, Dp } = this;
    const G = this.lastG;
    if (!G) throw new Error('kfacFactors() must be called before kfacSolve()');
    const shift = Math.sqrt(damping);
    let f = this.factored;
    if (!f || f.version !== this.kfacVersion || f.shift !== shift) {
      const okA = damping >= 0 && this.factorAHere(shift) !== null;
      const LG = this.gFactor ?? (this.gFactor = this.plain(C * C));
      for (let i = 0; i < C * C; i++) LG[i] = G[i];
      for (let c = 0; c < C; c++) LG[c * C + c] += shift;
      const okG = damping >= 0 && cholesky(C, LG, 0, C);
      f = this.factored = { version: this.kfacVersion, shift, okA, okG };
    }
    if (!f.okA || !f.okG) return false;
    const L = this.aFactor!, LG = this.gFactor!;
    const T = this.V;
    for (let i = 0; i < this.dim; i++) T[i] = v[i];
    // Rows of V: T ← V (A + sI)^{-1} (A symmetric), forward then back substitution.
    solveRowsLowerT(Dp, L, 0, Dp, C, T, 0, Dp);
    solveRowsLower(Dp, L, 0, Dp, C, T, 0, Dp);
    // Columns: (G + sI)^{-1} T, solved on the transpose (rows of Tᵀ).
    const Tt = this.rhsT ?? (this.rhsT = this.plain(Dp * C));
    transpose(C, Dp, T, Tt);
    solveRowsLowerT(C, LG, 0, C, Dp, Tt, 0, C);
    solveRowsLower(C, LG, 0, C, Dp, Tt, 0, C);
    for (let c = 0; c < C; c++) for (let j = 0; j < Dp; j++) out[c * Dp + j] = Tt[j * C + c];
    return true;
  }

  /**
   * Cholesky factor (lower, row-major, in a model-owned buffer) of A + shift·I for the K-FAC factor A
   * last returned by {@link kfacFactors}; null when the shifted matrix is not positive definite.
   */
  factorA(shift: number): Floats | null {
    return this.parallel(() => this.factorAHere(shift));
  }

  private factorAHere(shift: number): Floats | null {
    const { Dp } = this;
    const A = this.aBuf;
    if (!A) throw new Error('kfacFactors() must be called before factorA()');
    const L = this.aFactor ?? (this.aFactor = this.plain(Dp * Dp));
    for (let i = 0; i < Dp; i++) {
      const o = i * Dp;
      for (let j = 0; j <= i; j++) L[o + j] = A[o + j];
      L[o + i] += shift;
    }
    return cholesky(Dp, L, 0, Dp) ? L : null;
  }

  /**
   * N×N Gram matrix of the augmented inputs, K_nm = x̃_n · x̃_m (model-owned buffer, full symmetric).
   * Computed once per model.
   */
  inputGram(): Floats {
    if (this.gramReady && this.gram) return this.gram;
    return this.parallel(() => this.inputGramHere());
  }

  private inputGramHere(): Floats {
    const { N, Dp } = this;
    const K = this.gram ?? (this.gram = this.plain(N * N));
    gemmNT(N, N, Dp, 1, this.Xa, 0, Dp, this.Xa, 0, Dp, 0, K, 0, N, true);
    mirrorLower(N, K, 0, N);
    this.gramReady = true;
    return K;
  }
  private gramReady = false;

  /**
   * CG vector kernels in the model's SIMD memory (four work vectors of length C·(D+1), reused by every
   * CG run; one solve at a time); the plain JavaScript ones without SIMD.
   */
  cgVectors(): CgVectors {
    const arena = this.arena;
    if (!arena) return jsCgVectors;
    if (this.cgVec) return this.cgVec;
    const k = arena.kernels;
    const pool: Float64Array[] = [];
    let next = 0;
    const at = (x: Float64Array) => x.byteOffset;
    this.cgVec = {
      alloc: (n) => {
        if (n !== this.dim) return new Float64Array(n); // not this model's size: plain arrays, JS kernels below
        if (next === 4) next = 0;
        const v = pool[next] ?? (pool[next] = arena.alloc(n));
        next++;
        return v.fill(0);
      },
      dot: (x, y) => (x.buffer === arena.memory.buffer && y.buffer === x.buffer ? k.dot(x.length, at(x), at(y)) : jsCgVectors.dot(x, y)),
      step: (a, p, q, x, r) => ([p, q, x, r].every((v) => v.buffer === arena.memory.buffer)
        ? k.cgStep(x.length, a, at(p), at(q), at(x), at(r)) : jsCgVectors.step(a, p, q, x, r)),
      xpby: (r, b, p) => (r.buffer === arena.memory.buffer && p.buffer === r.buffer ? k.xpby(p.length, at(r), b, at(p)) : jsCgVectors.xpby(r, b, p)),
      axpy: (a, x, y) => (x.buffer === arena.memory.buffer && y.buffer === x.buffer ? k.axpy(y.length, a, at(x), at(y)) : jsCgVectors.axpy(a, x, y)),
    };
    return this.cgVec;
  }
  private cgVec: CgVectors | null = null;

  /** Fraction of examples whose most probable class (at the current θ) equals the label. */
  accuracy(): number {
    return argmaxAccuracy(this.P, this.labels, this.N, this.C);
  }
}
