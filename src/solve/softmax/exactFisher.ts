/**
 * Exact (true) Fisher by matrix-free products. For softmax regression,
 * F = (1/N) Σ_n (diag p_n − p_n p_nᵀ) ⊗ x̃_n x̃_nᵀ: the expectation over y ~ p(y|x_n) of the score outer
 * product, in closed form; for an MLP with softmax output, the same expectation equals the
 * Gauss–Newton matrix (1/N) Σ_n J_nᵀ (diag p_n − p_n p_nᵀ) J_n. Products come from the model
 * (two NT products per F·v for softmax regression; an R-op forward and a backward pass for an MLP);
 * the damped inverse is conjugate gradient to a stated tolerance.
 */
import { conjugateGradient, jsCgVectors, type CgOptions, type CgResult, type CgVectors } from './conjugateGradient.js';
import type { CurvatureApprox, FisherMode } from './curvatureApprox.js';

/** Any symmetric PSD curvature known only through its products (out ← F v; v and out may alias). */
export class MatrixFreeFisher implements CurvatureApprox {
  /** CG statistics of the last multiplyInverse call. */
  lastSolve: CgResult | null = null;

  constructor(
    readonly mode: FisherMode,
    readonly dim: number,
    private readonly apply: (v: ArrayLike<number>, out: Float64Array) => void,
    readonly cg: CgOptions = {},
    private readonly vectors: CgVectors = jsCgVectors,
  ) {}

  multiply(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    this.apply(v, out);
    return out;
  }

  /** (F + λI)^{-1} v by CG on F·v products to the relative residual `cg.tol` (default 1e-10). */
  multiplyInverse(v: ArrayLike<number>, damping: number, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    const vec = this.vectors;
    const res = conjugateGradient((x, y) => {
      this.apply(x, y);
      vec.axpy(damping, x, y);
    }, v, this.cg, vec);
    this.lastSolve = res;
    out.set(res.value);
    return out;
  }

  /** Column j is F e_j (dim products). */
  toDense(): Float64Array {
    const n = this.dim;
    const F = new Float64Array(n * n);
    const e = new Float64Array(n), col = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      this.apply(e, col);
      for (let i = 0; i < n; i++) F[i * n + j] = col[i];
    }
    return F;
  }
}

/** A model that can multiply by its exact Fisher at its current parameters. */
export interface FisherVectorModel {
  readonly dim: number;
  fisherVector(v: ArrayLike<number>, out: Float64Array): void;
  /** Vector kernels for CG in the model's own (SIMD) memory, when it has one. */
  cgVectors?(): CgVectors;
}

/** The exact true Fisher of a model, uses the model's probabilities at its current θ. */
export class ExactFisher extends MatrixFreeFisher {
  constructor(readonly model: FisherVectorModel, cg: CgOptions = {}) {
    super('exact', model.dim, (v, out) => model.fisherVector(v, out), cg, model.cgVectors?.() ?? jsCgVectors);
  }
}
