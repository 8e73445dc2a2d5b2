/**
 * ModelDerivation → numeric closures: link ψ(θ, z), its Jacobian J(θ, z), the per-observation Fisher
 * information I_z(θ) = Jᵀ g(ψ) J (generated code with CSE over θ and the covariates when the base
 * metric is a closed form, else J and ψ compiled and g(ψ) from the compiled base family), the Fisher
 * information of a design Σ_k w_k I_{z_k}(θ), and the log-likelihood and score of observations.
 * Covariates are passed like data variables: a number for one covariate, an array for several.
 */
import type { CompiledFamily, DataPoint } from '../core/types.js';
import type { Design } from '../declare/design.js';
import { checkPoint as checkSpecPoint } from '../declare/checkPoint.js';
import type { ModelDerivation } from '../derive/deriveModel.js';
import { compileExprs, type DataBundle } from './compileExprs.js';
import { compileFamily } from './compileFamily.js';

export interface CompiledModel {
  readonly name: string;
  readonly dim: number;
  readonly paramNames: readonly string[];
  readonly covariates: readonly string[];
  /** The compiled base family (observation law). */
  readonly base: CompiledFamily;
  /** 'closed-form' (symbolic I_z compiled) or 'chain-rule' (J compiled, g(ψ) from the base family). */
  readonly method: 'closed-form' | 'chain-rule';
  link(z: DataPoint, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** J[a][i] = ∂ψ_a/∂θ_i, row-major m × dim. */
  jacobian(z: DataPoint, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** I_z(θ), row-major dim × dim. */
  pointFisher(z: DataPoint, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Σ_k w_k I_{z_k}(θ). */
  designFisher(design: Design, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Per-point Fisher matrices of a design at θ (each row-major dim × dim), for design optimisation. */
  pointFishers(design: Design, theta: ArrayLike<number>): Float64Array[];
  /** log p(y; ψ(θ, z)). */
  logLikelihood(y: DataPoint, z: DataPoint, theta: ArrayLike<number>): number;
  /** ∇_θ log p(y; ψ(θ, z)) = Jᵀ s(y; ψ). */
  score(y: DataPoint, z: DataPoint, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Domain of the model parameters. */
  checkPoint(theta: ArrayLike<number>): string | null;
  /** null when ψ(θ, z_k) lies in the base family's domain at every design point, else a message. */
  checkDesign(design: Design, theta: ArrayLike<number>): string | null;
}

/** The covariate point k of a design as the closures take it. */
export function designPoint(design: Design, k: number): DataPoint {
  const m = design.covariates.length;
  return m === 1 ? design.points[k] : design.points.subarray(k * m, (k + 1) * m);
}

export function compileModel(d: ModelDerivation, base: CompiledFamily = compileFamily(d.base)): CompiledModel {
  const n = d.params.length;
  const m = d.link.length;
  const inputs = { theta: d.params, x: d.model.covariates };
  const consts = d.constants;
  const link = compileExprs(d.link, inputs, consts) as DataBundle;
  const jac = compileExprs(d.jacobian.flat(), inputs, consts) as DataBundle;
  const symbolic = d.pointFisher ? (compileExprs(d.pointFisher.flat(), inputs, consts) as DataBundle) : null;
  const psiBuf = new Float64Array(m);
  const jBuf = new Float64Array(m * n);
  const gBuf = new Float64Array(m * m);
  const sBuf = new Float64Array(m);
  /** Jᵀ g J from numeric J and g. */
  const sandwich = (J: Float64Array, g: Float64Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let a = 0; a < m; a++) {
          let r = 0;
          for (let b = 0; b < m; b++) r += g[a * m + b] * J[b * n + j];
          s += J[a * n + i] * r;
        }
        out[i * n + j] = out[j * n + i] = s;
      }
    return out;
  };
  const pointFisher = (z: DataPoint, theta: ArrayLike<number>, out = new Float64Array(n * n)): Float64Array => {
    if (symbolic) return symbolic.evaluate(z, theta, out);
    return sandwich(jac.evaluate(z, theta, jBuf), base.fisher(link.evaluate(z, theta, psiBuf), gBuf), out);
  };
  const pointFishers = (design: Design, theta: ArrayLike<number>): Float64Array[] => {
    const f = symbolic ? symbolic.factory(theta) : null;
    const lf = symbolic ? null : link.factory(theta);
    const jf = symbolic ? null : jac.factory(theta);
    const out: Float64Array[] = [];
    for (let k = 0; k < design.size; k++) {
      const z = designPoint(design, k);
      const buf = new Float64Array(n * n);
      if (f) f(z, buf);
      else sandwich(jf!(z, jBuf), base.fisher(lf!(z, psiBuf), gBuf), buf);
      out.push(buf);
    }
    return out;
  };
  const designFisher = (design: Design, theta: ArrayLike<number>, out = new Float64Array(n * n)): Float64Array => {
    out.fill(0);
    const one = new Float64Array(n * n);
    const f = symbolic ? symbolic.factory(theta) : null;
    const lf = symbolic ? null : link.factory(theta);
    const jf = symbolic ? null : jac.factory(theta);
    for (let k = 0; k < design.size; k++) {
      const w = design.weights[k];
      if (w === 0) continue;
      const z = designPoint(design, k);
      if (f) f(z, one);
      else sandwich(jf!(z, jBuf), base.fisher(lf!(z, psiBuf), gBuf), one);
      for (let i = 0; i < n * n; i++) out[i] += w * one[i];
    }
    return out;
  };
  const params = d.model.params;
  const checkPoint = (theta: ArrayLike<number>): string | null => {
    if (theta.length !== n) return `expected ${n} parameter value(s) (${d.params.join(', ')}), got ${theta.length}`;
    for (let i = 0; i < n; i++) {
      const v = theta[i];
      const p = params[i];
      if (!Number.isFinite(v)) return `${p.name} = ${String(v)} is not a finite number`;
      if (p.domain === 'positive' && !(v > 0)) return `${p.name} = ${v} must be > 0`;
      if (p.domain === 'unit' && !(v > 0 && v < 1)) return `${p.name} = ${v} must lie in the open interval (0, 1)`;
    }
    return null;
  };
  return {
    name: d.model.name,
    dim: n,
    paramNames: d.params,
    covariates: d.model.covariates,
    base,
    method: symbolic ? 'closed-form' : 'chain-rule',
    link: (z, theta, out) => link.evaluate(z, theta, out),
    jacobian: (z, theta, out) => jac.evaluate(z, theta, out),
    pointFisher,
    designFisher,
    pointFishers,
    logLikelihood: (y, z, theta) => base.logDensity(y, link.evaluate(z, theta, psiBuf)),
    score: (y, z, theta, out = new Float64Array(n)) => {
      const psi = link.evaluate(z, theta, psiBuf);
      const s = base.score(y, psi, sBuf);
      const J = jac.evaluate(z, theta, jBuf);
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let a = 0; a < m; a++) r += J[a * n + i] * s[a];
        out[i] = r;
      }
      return out;
    },
    checkPoint,
    checkDesign: (design, theta) => {
      const psi = new Float64Array(m);
      for (let k = 0; k < design.size; k++) {
        link.evaluate(designPoint(design, k), theta, psi);
        const problem = checkSpecPoint(d.model.family, psi);
        if (problem) return `at design point ${k + 1} (${d.model.covariates.map((c, j) => `${c}=${design.points[k * d.model.covariates.length + j]}`).join(', ')}) the ${d.model.family.name} parameters leave their domain: ${problem}`;
      }
      return null;
    },
  };
}
