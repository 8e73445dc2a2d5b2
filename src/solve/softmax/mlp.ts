/**
 * Small multilayer perceptron with tanh hidden layers and a softmax output, with the same
 * Fisher machinery as softmax regression.
 *
 * Layer l (1..L) maps a_{l−1} (width in_l) to z_l = W_l a_{l−1} + b_l (width out_l); hidden layers
 * apply tanh, the last is the softmax logits. Loss = mean over N of the cross-entropy.
 * Parameters: θ is the concatenation over layers, in order, of vec_rowmajor(W̃_l), W̃_l = [W_l | b_l]
 * (out_l × (in_l + 1)); with no hidden layer this is exactly the softmax-regression θ.
 *
 * Fisher products (true Fisher = Gauss–Newton for a softmax output):
 *  - fisherVector: (1/N) Σ_n J_nᵀ (diag p_n − p_n p_nᵀ) J_n v by an R-op forward pass and a backward pass;
 *  - kfacBlocks: per layer A_l = (1/N) Σ ã ãᵀ and G_l = (1/N) Σ_n Σ_c p_nc δ_{n,c} δ_{n,c}ᵀ, the exact
 *    expectation over y ~ p of the back-propagated gradients δ = ∂(−log p_y)/∂z_l (C backward passes);
 *  - diagFisher: the exact diagonal Σ_c p_nc (per-example gradient for label c)², same C passes;
 *  - empiricalVector: (1/N) Σ_n g_n g_nᵀ v at the data labels.
 * Buffers are plain Float64Array (scalar kernels); the layer widths are meant to be small.
 */
import { argmaxAccuracy, gemmNT, mirrorLower, transpose } from './kernels.js';
import type { CurvatureApprox, FisherMode } from './curvatureApprox.js';
import { DiagFisher } from './diagFisher.js';
import { ExactFisher, MatrixFreeFisher } from './exactFisher.js';
import { KfacFisher, type KfacBlock } from './kfacFisher.js';
import { createRng } from './rng.js';
import type { SoftmaxData } from './softmaxRegression.js';
import type { TrainableModel } from './train.js';

interface Layer {
  readonly inp: number;
  readonly out: number;
  /** Offset of W̃_l in θ. */
  readonly offset: number;
  /** Augmented input ã_{l−1}, N × (inp+1), and its transpose. */
  readonly Ain: Float64Array;
  readonly AinT: Float64Array;
  /** W̃_lᵀ, (inp+1) × out (refreshed on setParams). */
  readonly WT: Float64Array;
  /** N × out scratch for deltas / R-op values. */
  readonly dz: Float64Array;
  /** out × N scratch (transposed deltas). */
  readonly dzT: Float64Array;
}

export class Mlp {
  readonly C: number;
  readonly D: number;
  readonly N: number;
  /** Widths [D, hidden..., C]. */
  readonly sizes: readonly number[];
  readonly dim: number;
  readonly labels: Int32Array;
  /** Output probabilities N × C at the current θ. */
  readonly P: Float64Array;
  private readonly layers: Layer[];
  private readonly theta: Float64Array;
  private lossValue = NaN;

  constructor(data: SoftmaxData, hidden: readonly number[]) {
    const { C, D, N } = data;
    if (data.X.length !== N * D) throw new RangeError(`X has ${data.X.length} entries, expected N·D = ${N * D}`);
    this.C = C; this.D = D; this.N = N;
    this.sizes = [D, ...hidden, C];
    this.labels = Int32Array.from(data.y);
    for (const v of this.labels) if (!(v >= 0 && v < C)) throw new RangeError(`label ${v} is not in 0..${C - 1}`);
    this.layers = [];
    let offset = 0;
    for (let l = 1; l < this.sizes.length; l++) {
      const inp = this.sizes[l - 1], out = this.sizes[l];
      this.layers.push({
        inp, out, offset,
        Ain: new Float64Array(N * (inp + 1)), AinT: new Float64Array((inp + 1) * N),
        WT: new Float64Array((inp + 1) * out), dz: new Float64Array(N * out), dzT: new Float64Array(out * N),
      });
      offset += out * (inp + 1);
    }
    this.dim = offset;
    this.theta = new Float64Array(offset);
    this.P = new Float64Array(N * C);
    const A0 = this.layers[0].Ain;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < D; j++) A0[n * (D + 1) + j] = data.X[n * D + j];
      A0[n * (D + 1) + D] = 1;
    }
    transpose(N, D + 1, A0, this.layers[0].AinT);
  }

  /** Seeded initial point: weights N(0, 1/in_l), biases 0. */
  initialParams(seed: number): Float64Array {
    const rng = createRng(seed);
    const t = new Float64Array(this.dim);
    for (const L of this.layers) {
      const s = 1 / Math.sqrt(L.inp);
      for (let o = 0; o < L.out; o++) for (let j = 0; j < L.inp; j++) t[L.offset + o * (L.inp + 1) + j] = s * rng.normal();
    }
    return t;
  }

  get loss(): number {
    return this.lossValue;
  }

  /** Sets θ, runs the forward pass; returns the loss. */
  setParams(theta: ArrayLike<number>): number {
    if (theta.length !== this.dim) throw new RangeError(`θ has ${theta.length} entries, expected ${this.dim}`);
    for (let i = 0; i < this.dim; i++) this.theta[i] = theta[i];
    const { N, C, P } = this;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const Dp = L.inp + 1;
      transpose(L.out, Dp, this.theta.subarray(L.offset, L.offset + L.out * Dp), L.WT);
      const last = l === this.layers.length - 1;
      const Z = last ? P : L.dz;
      gemmNT(N, L.out, Dp, 1, L.Ain, 0, Dp, this.theta, L.offset, Dp, 0, Z, 0, L.out);
      if (!last) {
        const next = this.layers[l + 1];
        const Op = L.out + 1;
        for (let n = 0; n < N; n++) {
          for (let o = 0; o < L.out; o++) next.Ain[n * Op + o] = Math.tanh(Z[n * L.out + o]);
          next.Ain[n * Op + L.out] = 1;
        }
        transpose(N, Op, next.Ain, next.AinT);
      }
    }
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const o = n * C;
      let mx = -Infinity;
      for (let c = 0; c < C; c++) if (P[o + c] > mx) mx = P[o + c];
      const sy = P[o + this.labels[n]] - mx; // log-sum-exp, as in softmaxRegression.ts
      let z = 0;
      for (let c = 0; c < C; c++) z += (P[o + c] = Math.exp(P[o + c] - mx));
      for (let c = 0; c < C; c++) P[o + c] /= z;
      loss += Math.log(z) - sy;
    }
    this.lossValue = loss / N;
    return this.lossValue;
  }

  /**
   * Back-propagates output deltas δ_L (N × C, already scaled as wanted) through the network at the
   * current θ. With `grad`, writes Σ_n δ_{l,n} ã_{l−1,n}ᵀ into each layer's slice of grad; with
   * `perLayer`, calls it with each layer's δ_l (N × out_l) after it is formed.
   */
  private backward(deltaL: Float64Array, grad: Float64Array | null, perLayer?: (l: number, delta: Float64Array) => void): void {
    const { N } = this;
    let delta = deltaL;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l];
      const Dp = L.inp + 1;
      perLayer?.(l, delta);
      if (grad) {
        transpose(N, L.out, delta, L.dzT);
        gemmNT(L.out, Dp, N, 1, L.dzT, 0, N, L.AinT, 0, N, 0, grad, L.offset, Dp);
      }
      if (l > 0) {
        const prev = this.layers[l - 1];
        // δ_{l−1} = (δ_l W_l) ⊙ tanh'(z_{l−1}), with tanh' = 1 − a².
        gemmNT(N, L.inp, L.out, 1, delta, 0, L.out, L.WT, 0, L.out, 0, prev.dz, 0, L.inp);
        for (let n = 0; n < N; n++) {
          for (let o = 0; o < L.inp; o++) {
            const a = L.Ain[n * Dp + o];
            prev.dz[n * L.inp + o] *= 1 - a * a;
          }
        }
        delta = prev.dz;
      }
    }
  }

  /** Sets θ, writes ∇θ loss into grad, returns the loss. */
  lossAndGrad(theta: ArrayLike<number>, grad: Float64Array): number {
    const loss = this.setParams(theta);
    const { N, C, P } = this;
    const d = new Float64Array(N * C);
    for (let i = 0; i < N * C; i++) d[i] = P[i] / N;
    for (let n = 0; n < N; n++) d[n * C + this.labels[n]] -= 1 / N;
    this.backward(d, grad);
    return loss;
  }

  /** out ← F v, F = (1/N) Σ_n J_nᵀ (diag p_n − p_n p_nᵀ) J_n (the true Fisher) at the current θ. */
  fisherVector(v: ArrayLike<number>, out: Float64Array): void {
    const { N, C, P } = this;
    const vv = Float64Array.from(v);
    // R-op forward: Rz_l = Rã_{l−1} W̃_lᵀ + ã_{l−1} V_lᵀ, Rã = [tanh'(z) ⊙ Rz | 0].
    let Ra: Float64Array | null = null;
    let u = new Float64Array(0);
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const Dp = L.inp + 1;
      const Rz = new Float64Array(N * L.out);
      gemmNT(N, L.out, Dp, 1, L.Ain, 0, Dp, vv, L.offset, Dp, 0, Rz, 0, L.out);
      if (Ra) gemmNT(N, L.out, Dp, 1, Ra, 0, Dp, this.theta, L.offset, Dp, 1, Rz, 0, L.out);
      if (l === this.layers.length - 1) u = Rz;
      else {
        const next = this.layers[l + 1];
        const Op = L.out + 1;
        Ra = new Float64Array(N * Op);
        for (let n = 0; n < N; n++) {
          for (let o = 0; o < L.out; o++) {
            const a = next.Ain[n * Op + o];
            Ra[n * Op + o] = (1 - a * a) * Rz[n * L.out + o];
          }
        }
      }
    }
    const r = new Float64Array(N * C);
    for (let n = 0; n < N; n++) {
      const o = n * C;
      let pu = 0;
      for (let c = 0; c < C; c++) pu += P[o + c] * u[o + c];
      for (let c = 0; c < C; c++) r[o + c] = (P[o + c] * (u[o + c] - pu)) / N;
    }
    this.backward(r, out);
  }

  /**
   * For each class c, back-propagates √p_nc (p_n − e_c) and hands every layer's δ to `visit`
   * (the C passes whose outer products sum to the exact expectation over y ~ p).
   */
  private expectationPasses(visit: (l: number, delta: Float64Array) => void): void {
    const { N, C, P } = this;
    const d = new Float64Array(N * C);
    for (let c = 0; c < C; c++) {
      for (let n = 0; n < N; n++) {
        const w = Math.sqrt(P[n * C + c]);
        for (let k = 0; k < C; k++) d[n * C + k] = w * (P[n * C + k] - (k === c ? 1 : 0));
      }
      this.backward(d, null, visit);
    }
  }

  /** K-FAC blocks at the current θ (A_l from the activations, G_l the exact expectation over y ~ p). */
  kfacBlocks(): KfacBlock[] {
    const { N } = this;
    const Gs = this.layers.map((L) => new Float64Array(L.out * L.out));
    this.expectationPasses((l, delta) => {
      const L = this.layers[l];
      transpose(N, L.out, delta, L.dzT);
      gemmNT(L.out, L.out, N, 1 / N, L.dzT, 0, N, L.dzT, 0, N, 1, Gs[l], 0, L.out, true);
    });
    return this.layers.map((L, l) => {
      const Dp = L.inp + 1;
      const A = new Float64Array(Dp * Dp);
      gemmNT(Dp, Dp, N, 1 / N, L.AinT, 0, N, L.AinT, 0, N, 0, A, 0, Dp, true);
      mirrorLower(Dp, A, 0, Dp);
      mirrorLower(L.out, Gs[l], 0, L.out);
      return { offset: L.offset, out: L.out, inp: Dp, A, G: Gs[l] };
    });
  }

  /** Exact diagonal of the true Fisher at the current θ, flattened θ order. */
  diagFisher(out: Float64Array): Float64Array {
    const { N } = this;
    out.fill(0);
    const sqT = this.layers.map((L) => L.AinT.map((x) => x * x));
    this.expectationPasses((l, delta) => {
      const L = this.layers[l];
      const Dp = L.inp + 1;
      for (let n = 0; n < N; n++) for (let o = 0; o < L.out; o++) L.dzT[o * N + n] = delta[n * L.out + o] ** 2;
      gemmNT(L.out, Dp, N, 1 / N, L.dzT, 0, N, sqT[l], 0, N, 1, out, L.offset, Dp);
    });
    return out;
  }

  /** out ← (1/N) Σ_n g_n (g_n · v) with g_n the per-example gradient at the data label. */
  empiricalVector(v: ArrayLike<number>, out: Float64Array): void {
    const { N, C, P } = this;
    const d = new Float64Array(N * C);
    for (let i = 0; i < N * C; i++) d[i] = P[i];
    for (let n = 0; n < N; n++) d[n * C + this.labels[n]] -= 1;
    // s_n = g_n · v = Σ_l δ_{l,n} · (V_l ã_{l−1,n})
    const s = new Float64Array(N);
    const vv = Float64Array.from(v);
    this.backward(d, null, (l, delta) => {
      const L = this.layers[l];
      const Dp = L.inp + 1;
      const Vx = new Float64Array(N * L.out);
      gemmNT(N, L.out, Dp, 1, L.Ain, 0, Dp, vv, L.offset, Dp, 0, Vx, 0, L.out);
      for (let n = 0; n < N; n++) for (let o = 0; o < L.out; o++) s[n] += delta[n * L.out + o] * Vx[n * L.out + o];
    });
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) d[n * C + c] *= s[n] / N;
    this.backward(d, out);
  }

  accuracy(): number {
    return argmaxAccuracy(this.P, this.labels, this.N, this.C);
  }

  /** The curvature object of a mode at the current θ ('sampled' is not offered for MLPs). */
  curvature(mode: FisherMode, cgTol = 1e-10): CurvatureApprox {
    switch (mode) {
      case 'exact': return new ExactFisher(this, { tol: cgTol });
      case 'diag': return new DiagFisher(this);
      case 'kfac': return new KfacFisher(this.kfacBlocks(), this.dim);
      case 'empirical': return new MatrixFreeFisher('empirical', this.dim, (v, o) => this.empiricalVector(v, o), { tol: cgTol });
      case 'sampled': throw new RangeError("mode 'sampled' is offered for softmax regression only");
    }
  }
}

/** Adapts an MLP to the training loop of train.ts. */
export function trainableMlp(mlp: Mlp): TrainableModel {
  return {
    dim: mlp.dim,
    lossAndGrad: (theta, grad) => mlp.lossAndGrad(theta, grad),
    accuracy: () => mlp.accuracy(),
    curvature: (mode) => mlp.curvature(mode),
  };
}
