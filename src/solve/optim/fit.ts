/**
 * Maximum-likelihood estimation for any family: the one Fisher-scoring / Newton engine used by the
 * `fit` verb and by the Cramér–Rao Monte Carlo.
 *
 * The objective is the mean log-likelihood ℓ(θ) = (1/N) Σ log p(x_n; θ) with gradient the mean
 * score ū(θ), evaluated either point by point (through the compiled hoisted factories when the
 * model has them) or, for exponential families, from the mean sufficient statistic T̄ alone:
 * ℓ = η(θ)·T̄ − A(θ) + const (see src/compile/compileStatistics.ts).
 *
 * Steps: θ ← θ + t·H⁻¹ū with H the Fisher matrix (scoring, 'natgrad') or the observed information
 * from central differences of ū ('newton', when positive definite), t ≤ 1 capped so that positive
 * and unit parameters move at most 90% of the way to their boundary, then halved until ℓ rises by
 * the Armijo amount. After two iterations that each cut √(ūᵀF⁻¹ū) by less than 4× (scoring is
 * only linearly convergent, slowly so with F frozen far from θ̂), scoring switches to Newton steps
 * (observed information, F where that is not positive definite). Stops when √(ūᵀF⁻¹ū) < tol.
 * A run whose iterate escapes towards the boundary of the domain (a factor e²⁵ from the start for
 * positive/unit parameters, 10¹³ scales for real ones) while ℓ keeps rising has no maximiser in
 * the domain: the result says
 * "no maximum likelihood estimate exists: …" (status 'no-mle') instead of reporting the escaped
 * point. Declared closed forms (`mle:` blocks) are used as they are (a boundary value such as
 * p̂ = 0 is still the estimator's value) or as the starting point of `fit`.
 * Nothing here throws on numeric trouble: failures come back with `converged: false` and a message.
 */
import type { DataPoint } from '../../core/types.js';
import type { ParamDomain } from '../../declare/types.js';
import { cholesky, choleskySolve } from '../../core/linalg.js';
import { wrapAngle } from '../../core/random.js';
import type { SuffStats } from '../../compile/portableCode.js';
import { solveLinear } from '../geodesic/solveLinear.js';
import { adam } from './adam.js';
import { minimize } from './minimize.js';

/** What likelihood fitting needs from a family (CompiledFamily satisfies it). */
export interface LikelihoodModel {
  readonly dim: number;
  /** Parameter names (for messages), when known. */
  readonly paramNames?: readonly string[];
  logDensity(x: DataPoint, theta: ArrayLike<number>): number;
  /** ∇_θ log p(x; θ). */
  score(x: DataPoint, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Fisher information of one observation, row-major dim×dim. */
  fisher(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** null inside the parameter domain, else a message. */
  checkPoint(theta: ArrayLike<number>): string | null;
  /** Optional hoisted closures (θ-part evaluated once): x ↦ log p(x; θ). */
  logDensityFactory?(theta: ArrayLike<number>): (x: DataPoint) => number;
  scoreFactory?(theta: ArrayLike<number>): (x: DataPoint, out?: Float64Array) => Float64Array;
}

/** Observations: a Float64Array of scalars or an array of points. */
export type Data = Float64Array | readonly DataPoint[];

/** The function scoring maximizes: mean log-likelihood (up to a θ-free constant) and mean score. */
export interface Objective {
  /** −Infinity outside the domain or when not finite. */
  value(theta: ArrayLike<number>): number;
  gradient(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** Point-by-point objective over `data`, using the model's hoisted factories when present. */
export function dataObjective(model: LikelihoodModel, data: Data): Objective {
  const n = data.length;
  const d = model.dim;
  const tmp = new Float64Array(d);
  return {
    value(theta) {
      if (model.checkPoint(theta) !== null) return -Infinity;
      let s = 0;
      if (model.logDensityFactory) {
        const f = model.logDensityFactory(theta);
        for (let i = 0; i < n; i++) s += f(data[i] as DataPoint);
      } else for (let i = 0; i < n; i++) s += model.logDensity(data[i] as DataPoint, theta);
      s /= n;
      return Number.isFinite(s) ? s : -Infinity;
    },
    gradient(theta, out = new Float64Array(d)) {
      out.fill(0);
      const f = model.scoreFactory ? model.scoreFactory(theta) : null;
      for (let i = 0; i < n; i++) {
        if (f) f(data[i] as DataPoint, tmp);
        else model.score(data[i] as DataPoint, theta, tmp);
        for (let k = 0; k < d; k++) out[k] += tmp[k];
      }
      for (let k = 0; k < d; k++) out[k] /= n;
      return out;
    },
  };
}

/** Exponential-family objective from the mean sufficient statistic: η(θ)·T̄ − A(θ). */
export function suffStatObjective(ss: SuffStats, meanT: ArrayLike<number>, checkPoint: (theta: ArrayLike<number>) => string | null): Objective {
  return {
    value(theta) {
      if (checkPoint(theta) !== null) return -Infinity;
      const v = ss.value(theta, meanT);
      return Number.isFinite(v) ? v : -Infinity;
    },
    gradient: (theta, out) => ss.gradient(theta, meanT, out),
  };
}

/** Σ log p(x_i; θ). */
export function logLikelihood(model: LikelihoodModel, data: Data, theta: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += model.logDensity(data[i] as DataPoint, theta);
  return s;
}

/** Mean score ū(θ) = (1/n) Σ ∇ log p(x_i; θ). */
export function meanScore(model: LikelihoodModel, data: Data, theta: ArrayLike<number>, out?: Float64Array): Float64Array {
  return dataObjective(model, data).gradient(theta, out);
}

export type MleStatus = 'converged' | 'no-mle' | 'failed';

export interface MleResult {
  /** θ̂ in parameter order (circle parameters reduced to [−π, π)). */
  value: Float64Array;
  converged: boolean;
  /** 'no-mle': the likelihood has no maximiser in the domain (see `message`). */
  status: MleStatus;
  iterations: number;
  /** 'closed-form', 'fisher-scoring' or 'newton'. */
  method: string;
  /** Mean log-likelihood at θ̂ up to a θ-free constant (NaN for closed forms). */
  logLik: number;
  /** Natural-gradient norm √(ūᵀF⁻¹ū) at the end (0 for closed forms). */
  residual: number;
  message?: string;
}

export interface ScoringOptions {
  /** Stop when √(ūᵀF⁻¹ū) < tol (ū the mean score per observation). Default 1e-10. */
  tol?: number;
  maxIterations?: number;
  /** Re-evaluate F at every iterate (default) or keep F of the start (chord method, for costly F). */
  refreshFisher?: boolean;
  /** 'natgrad' (Fisher scoring, default) or 'newton' (observed information when positive definite). */
  method?: 'natgrad' | 'newton';
  /** Parameter domains (step caps, escape detection, circle reduction). Default: all real. */
  domains?: readonly ParamDomain[];
  /** Parameter names for messages. */
  paramNames?: readonly string[];
}

/** Escape threshold in boundary coordinates (log for positive, logit for unit, scales for real). */
const ESCAPE = 25;

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
}

/** Circle components of `estimate` moved to within π of `reference` (others untouched). */
export function alignCircular(domains: readonly ParamDomain[] | undefined, estimate: Float64Array, reference: ArrayLike<number>): Float64Array {
  domains?.forEach((dom, i) => {
    if (dom === 'circle') estimate[i] = reference[i] + wrapAngle(estimate[i] - reference[i]);
  });
  return estimate;
}

/**
 * Fisher scoring (or Newton) with a domain-aware Armijo line search from `start`; see the module
 * comment. Returns the best point found with its status.
 */
export function fisherScoring(
  model: Pick<LikelihoodModel, 'dim' | 'fisher' | 'checkPoint' | 'paramNames'>,
  objective: Objective,
  start: ArrayLike<number>,
  options: ScoringOptions = {},
): MleResult {
  const d = model.dim;
  const tol = options.tol ?? 1e-10;
  const refresh = options.refreshFisher ?? true;
  const maxIt = options.maxIterations ?? (refresh ? 200 : 500);
  const newton = options.method === 'newton';
  const methodName = newton ? 'newton' : 'fisher-scoring';
  const domains = options.domains ?? new Array<ParamDomain>(d).fill('real');
  const names = options.paramNames ?? model.paramNames ?? Array.from({ length: d }, (_, i) => `θ${i + 1}`);
  let theta = Float64Array.from(start);
  const result = (status: MleStatus, it: number, ll: number, residual: number, message?: string): MleResult => {
    const value = Float64Array.from(theta);
    domains.forEach((dom, i) => {
      if (dom === 'circle') value[i] = wrapAngle(value[i]);
    });
    return { value, converged: status === 'converged', status, iterations: it, method: methodName, logLik: ll, residual, ...(message ? { message } : {}) };
  };
  const startProblem = model.checkPoint(theta);
  if (startProblem !== null) return result('failed', 0, NaN, NaN, `the starting point is outside the domain: ${startProblem}`);
  let ll = objective.value(theta);
  if (!Number.isFinite(ll)) return result('failed', 0, NaN, NaN, 'the log-likelihood is not finite at the starting point');
  const origin = Float64Array.from(theta);
  const F = model.fisher(theta);
  const Lbuf = new Float64Array(d * d);
  let L = cholesky(F, d, Lbuf);
  // scales of real parameters for escape detection: |θ0| or the per-observation standard error
  const scale = new Float64Array(d).fill(1);
  if (L && domains.some((dom) => dom === 'real')) {
    const e = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      e.fill(0);
      e[i] = 1;
      const c = choleskySolve(L, e, d);
      scale[i] = Math.max(Math.abs(origin[i]), Math.sqrt(Math.max(c[i], 0)), 1e-300);
    }
  }
  const escape = (t: ArrayLike<number>): { r: number; i: number } => {
    let r = 0;
    let at = -1;
    for (let i = 0; i < d; i++) {
      let e: number;
      if (domains[i] === 'positive') e = Math.abs(Math.log(t[i] / origin[i]));
      else if (domains[i] === 'unit') e = Math.abs(Math.log(t[i] / (1 - t[i])) - Math.log(origin[i] / (1 - origin[i])));
      else if (domains[i] === 'circle') e = 0;
      else e = Math.log1p(Math.abs(t[i] - origin[i]) / scale[i]);
      if (e > r) {
        r = e;
        at = i;
      }
    }
    return { r, i: at };
  };
  const noMle = (it: number, i: number, residual: number): MleResult => {
    const v = theta[i];
    const dir = domains[i] === 'positive' ? (v > origin[i] ? '+∞' : '0') : domains[i] === 'unit' ? (v > origin[i] ? '1' : '0') : v > origin[i] ? '+∞' : '−∞';
    return result('no-mle', it, ll, residual, `no maximum likelihood estimate exists: ${names[i]} → ${dir} with the log-likelihood still increasing (${names[i]} = ${fmt(v)} after ${it} iterations; the supremum of the likelihood is not attained inside the parameter domain)`);
  };
  const u = new Float64Array(d);
  const trial = new Float64Array(d);
  const up = new Float64Array(d);
  const um = new Float64Array(d);
  const H = new Float64Array(d * d);
  const stepBuf = new Float64Array(d);
  let residual = NaN;
  const resHistory: number[] = [];
  const escHistory: number[] = [];
  // Scoring converges only linearly (the step uses F, not the observed information; with a frozen F
  // the rate is set by how far θ̂ lies from the start): after two iterations that each cut the
  // residual by less than 4×, switch to Newton steps (observed information, F as the fallback
  // where it is not positive definite), which converge quadratically near the maximum.
  let useNewton = newton;
  for (let it = 0; it < maxIt; it++) {
    if (refresh && it > 0) {
      model.fisher(theta, F);
      L = cholesky(F, d, Lbuf);
    }
    if (!L) return result('failed', it, ll, residual, `the Fisher matrix is not positive definite at ${names.map((n, i) => `${n}=${fmt(theta[i])}`).join(', ')}`);
    objective.gradient(theta, u);
    let step = choleskySolve(L, u, d, stepBuf);
    let nat = 0;
    for (let k = 0; k < d; k++) nat += u[k] * step[k];
    residual = Math.sqrt(Math.max(nat, 0));
    if (!Number.isFinite(residual)) return result('failed', it, ll, residual, 'the score is not finite');
    // Converged: below tol, or at the noise floor (the predicted gain residual² at the rounding
    // level of ℓ and no longer falling).
    const nh = resHistory.length;
    const floor = nh >= 3 && residual * residual <= 1e-15 * Math.max(1, Math.abs(ll)) && residual >= 0.9 * Math.min(resHistory[nh - 1], resHistory[nh - 2], resHistory[nh - 3]);
    if (residual < tol || floor) {
      // A steady march (each of the last 5 steps moving ≥ 0.3 further out in boundary coordinates)
      // that "converges" only because the score lost its digits far out is a divergence.
      const h = escHistory.slice(-6);
      if (h.length === 6 && h.every((r, k) => k === 0 || r - h[k - 1] >= 0.3)) return noMle(it, escape(theta).i, residual);
      return result('converged', it, ll, residual);
    }
    if (!useNewton && nh >= 2 && residual > 0.25 * resHistory[nh - 1] && resHistory[nh - 1] > 0.25 * resHistory[nh - 2]) {
      useNewton = true;
    }
    resHistory.push(residual);
    if (useNewton) {
      // observed information −∂ū/∂θ by central differences; used when positive definite
      for (let j = 0; j < d; j++) {
        const h = 1e-5 * Math.max(Math.abs(theta[j]), 1e-3);
        trial.set(theta);
        trial[j] += h;
        objective.gradient(trial, up);
        trial[j] -= 2 * h;
        objective.gradient(trial, um);
        for (let i = 0; i < d; i++) H[i * d + j] = -(up[i] - um[i]) / (2 * h);
      }
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) H[i * d + j] = H[j * d + i] = 0.5 * (H[i * d + j] + H[j * d + i]);
      const LH = H.every(Number.isFinite) ? cholesky(H, d) : false;
      if (LH) step = choleskySolve(LH, u, d);
    }
    let gain = 0;
    for (let k = 0; k < d; k++) gain += u[k] * step[k];
    let t = 1;
    for (let i = 0; i < d; i++) {
      const s = step[i];
      if (domains[i] === 'positive' && s < 0) t = Math.min(t, (0.9 * theta[i]) / -s);
      if (domains[i] === 'unit') t = Math.min(t, s < 0 ? (0.9 * theta[i]) / -s : s > 0 ? (0.9 * (1 - theta[i])) / s : 1);
    }
    let accepted = false;
    for (let h = 0; h < 60; h++, t *= 0.5) {
      for (let k = 0; k < d; k++) trial[k] = theta[k] + t * step[k];
      const llTrial = objective.value(trial); // −Infinity outside the domain
      if (llTrial === -Infinity) continue;
      // Below the rounding level of ℓ the comparison is noise: take the (capped) step as it is.
      const tiny = gain <= 1e-12 * Math.max(1, Math.abs(ll)) && Number.isFinite(llTrial);
      if (tiny || llTrial >= ll + 1e-4 * t * gain - 1e-15 * Math.abs(ll)) {
        theta.set(trial);
        ll = llTrial;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // No representable improvement along the step: at the maximum to rounding, or stuck.
      return residual < 1e-6
        ? result('converged', it, ll, residual)
        : result('failed', it, ll, residual, `the line search found no increase of the likelihood (natural-gradient norm ${fmt(residual)})`);
    }
    const esc = escape(theta);
    escHistory.push(esc.r);
    if (esc.r > ESCAPE) return noMle(it + 1, esc.i, residual);
  }
  // Out of iterations: a steady march away from the start (escape coordinate growing at every one
  // of the last 20 iterations, by ≥ 1 in total) is a divergence, anything else a plain failure.
  const last = escHistory.slice(-21);
  const esc = escape(theta);
  if (last.length === 21 && last.every((r, k) => k === 0 || r > last[k - 1]) && last[20] - last[0] >= 1) return noMle(maxIt, esc.i, residual);
  return result('failed', maxIt, ll, residual, `no convergence in ${maxIt} iterations (natural-gradient norm ${fmt(residual)})`);
}

export interface MleOptions extends ScoringOptions {
  /** Declared closed-form estimator (the family's `mle:` block): used as is when finite. */
  closedForm?: ((data: Data) => Float64Array) | null;
  /** Exponential-family reduction: scoring on the mean sufficient statistic instead of the points. */
  suffStats?: SuffStats | null;
  /** Start of scoring (e.g. the true θ in a simulation). */
  start?: ArrayLike<number>;
}

/**
 * θ̂ for one sample: the declared closed form when the family has one, else Fisher scoring from
 * `options.start` on the sufficient-statistic objective (exponential families) or the data.
 */
export function mle(model: LikelihoodModel | null, data: Data, options: MleOptions = {}): MleResult {
  if (options.closedForm) {
    const value = options.closedForm(data);
    options.domains?.forEach((dom, i) => {
      if (dom === 'circle') value[i] = wrapAngle(value[i]);
    });
    // A closed form may land on the boundary (p̂ = 0 for an all-zero Bernoulli sample): that is
    // still the estimator's value, so only non-finite results count as failures.
    const ok = value.every(Number.isFinite);
    return { value, converged: ok, status: ok ? 'converged' : 'failed', iterations: 0, method: 'closed-form', logLik: NaN, residual: 0, ...(ok ? {} : { message: 'the closed-form estimate is not finite' }) };
  }
  const d = model?.dim ?? options.paramNames?.length ?? 0;
  if (!model || !options.start) {
    return { value: new Float64Array(d).fill(NaN), converged: false, status: 'failed', iterations: 0, method: 'fisher-scoring', logLik: NaN, residual: NaN, message: 'no model or no starting point' };
  }
  const objective = options.suffStats
    ? suffStatObjective(options.suffStats, options.suffStats.meanT(data), (t) => model.checkPoint(t))
    : dataObjective(model, data);
  return fisherScoring(model, objective, options.start, options);
}

// ------------------------------------------------------------------------------------------------
// The `fit` verb's entry: start selection, Adam baseline, standard errors.

export type FitMethod = 'natgrad' | 'newton' | 'adam';

export interface FitOptions {
  method?: FitMethod;
  start?: ArrayLike<number>;
  /** Parameter domains, used to build starting candidates, cap steps and reduce angles. */
  domains?: readonly ParamDomain[];
  paramNames?: readonly string[];
  /** Declared closed-form estimator: the starting point of scoring (which then verifies it). */
  closedForm?: ((data: Data) => Float64Array) | null;
  maxIterations?: number;
  /** Stop when sqrt(∇Lᵀ F⁻¹ ∇L) ≤ tol (natgrad/newton; default 1e-10) or max|∇L| ≤ tol (adam; default 1e-7). */
  tol?: number;
  /** Adam learning rate (default 0.01). */
  lr?: number;
}

export interface FitResult {
  value: Float64Array;
  /** Mean log-likelihood at the estimate. */
  logLikelihood: number;
  converged: boolean;
  status: MleStatus;
  iterations: number;
  method: FitMethod;
  /** sqrt(∇Lᵀ F⁻¹ ∇L) at the estimate (natural-gradient norm). */
  gradientNorm: number;
  /** Asymptotic standard errors sqrt(diag F⁻¹ / N). */
  standardErrors: Float64Array;
  start: Float64Array;
  message?: string;
}

function flatten(data: Data): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const d = data[i] as DataPoint;
    if (typeof d === 'number') out.push(d);
    else for (let k = 0; k < d.length; k++) out.push(d[k]);
  }
  return out.filter(Number.isFinite);
}

/** Candidate start values per parameter from its domain and the data moments. */
function candidates(domain: ParamDomain | undefined, mean: number, sd: number): number[] {
  const pos = [1, sd, 1 / sd, sd * sd, 1 / (sd * sd), Math.abs(mean), 1 / Math.abs(mean), (mean * mean) / (sd * sd)].filter((x) => Number.isFinite(x) && x > 0);
  const unit = [0.5, 0.2, 0.8, 0.05, 0.3];
  const real = [mean, 0];
  const circle = [0, Math.PI / 2, -Math.PI / 2, Math.PI - 1e-9];
  const list =
    domain === 'real' ? real : domain === 'positive' ? pos : domain === 'unit' ? unit : domain === 'circle' ? circle : [...real, ...pos, ...unit];
  return [...new Set(list.map((x) => Number(x.toPrecision(12))))];
}

/** Mean log-likelihood (−Infinity outside the domain or when any term is not finite). */
export function meanLogLikelihood(model: LikelihoodModel, data: Data, theta: ArrayLike<number>): number {
  return dataObjective(model, data).value(theta);
}

/** Best-likelihood start over a grid of candidates from the domains and data moments (≤ ~4000 points). */
export function defaultStart(model: LikelihoodModel, data: Data, domains?: readonly ParamDomain[]): Float64Array | null {
  const xs = flatten(data);
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length)) || 1;
  const lists = Array.from({ length: model.dim }, (_, i) => candidates(domains?.[i], mean, sd));
  const total = lists.reduce((p, l) => p * l.length, 1);
  const stride = Math.max(1, Math.floor(total / 4000));
  const objective = dataObjective(model, data);
  let best: Float64Array | null = null;
  let bestLl = -Infinity;
  const theta = new Float64Array(model.dim);
  for (let idx = 0; idx < total; idx += stride) {
    let r = idx;
    for (let i = 0; i < model.dim; i++) {
      theta[i] = lists[i][r % lists[i].length];
      r = Math.floor(r / lists[i].length);
    }
    const ll = objective.value(theta);
    if (ll > bestLl) {
      bestLl = ll;
      best = theta.slice();
    }
  }
  return best;
}

function natNorm(F: Float64Array, g: Float64Array, n: number): number {
  const x = solveLinear(F, g, n);
  if (!x) return Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += g[i] * x[i];
  return Math.sqrt(Math.max(0, s));
}

/**
 * Maximum-likelihood estimate of θ for i.i.d. data. Never throws for non-convergence; a likelihood
 * without maximiser gives status 'no-mle' with the reason in `message`.
 * @example
 * // poisson: the MLE is the sample mean
 * fit(poissonFamily, [1, 2, 6]).value[0]  // returns 3
 */
export function fit(model: LikelihoodModel, data: Data, opts: FitOptions = {}): FitResult {
  const n = model.dim;
  const method = opts.method ?? 'natgrad';
  if (data.length === 0) throw new RangeError('fit: no data');
  const objective = dataObjective(model, data);
  let start: Float64Array | null = opts.start ? Float64Array.from(opts.start) : null;
  if (!start && opts.closedForm) {
    const c = opts.closedForm(data);
    if (c.every(Number.isFinite) && model.checkPoint(c) === null && Number.isFinite(objective.value(c))) start = c;
  }
  start ??= defaultStart(model, data, opts.domains);
  const finish = (theta: Float64Array, status: MleStatus, iterations: number, message?: string): FitResult => {
    const F = model.fisher(theta);
    const g = objective.gradient(theta);
    const se = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = new Float64Array(n);
      e[i] = 1;
      const col = solveLinear(F, e, n);
      se[i] = col ? Math.sqrt(Math.max(0, col[i]) / data.length) : NaN;
    }
    return {
      value: theta,
      logLikelihood: objective.value(theta),
      converged: status === 'converged',
      status,
      iterations,
      method,
      gradientNorm: natNorm(F, g, n),
      standardErrors: se,
      start: start ?? new Float64Array(n),
      ...(message ? { message } : {}),
    };
  };
  if (!start || model.checkPoint(start) !== null || !Number.isFinite(objective.value(start))) {
    return finish(start ?? new Float64Array(n).fill(NaN), 'failed', 0, 'no admissible starting point with finite likelihood; pass a start');
  }
  if (method === 'adam') {
    const tol = opts.tol ?? 1e-7;
    const r = minimize(
      { value: (t) => -objective.value(t), grad: (t) => objective.gradient(t).map((x) => -x) },
      start,
      adam(opts.lr ?? 0.01),
      { maxIterations: opts.maxIterations ?? 50000, gradTol: tol, check: (t) => model.checkPoint(t) },
    );
    return finish(r.value, r.converged ? 'converged' : 'failed', r.iterations, r.message);
  }
  const r = fisherScoring(model, objective, start, {
    method,
    tol: opts.tol,
    maxIterations: opts.maxIterations,
    domains: opts.domains,
    paramNames: opts.paramNames,
  });
  return finish(r.value, r.status, r.iterations, r.message);
}
