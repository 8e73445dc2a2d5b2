/**
 * Riemannian exponential map by integrating the geodesic equation
 *   d²θ^k/dt² + Γ^k_ij θ'^i θ'^j = 0,  θ(0) = θ0, θ'(0) = v,
 * as a first-order system y = [θ, θ'] with an adaptive Dormand–Prince integrator: 8(5,3) by
 * default, 5(4) on request (both with dense output and error control).
 * Christoffel symbols use the project convention christoffel[k][i][j] = Γ^k_ij (src/core/types.ts).
 */
import type { Metric } from '../../core/types.js';
import { dormandPrince853 } from './dop853.js';
import { dormandPrince, type OdeOptions, type OdeResult, type OdeRhs, type OdeStatus } from './ode.js';

/** Integrator: 'dop853' (Dormand–Prince 8(5,3), default) or 'dopri5' (Dormand–Prince 5(4)). */
export type OdeMethod = 'dop853' | 'dopri5';

/**
 * Default tolerances (rtol = atol) per integrator, chosen for ≥ 1e-10 relative accuracy of the end
 * point. Measured (relative to max(1, |θ|), against a 1e-14 reference): on normal geodesics dop853
 * at 1e-12 → 4e-14, dopri5 at 1e-11 → 2.6e-12; on a long gamma geodesic ((5, 0.5) + (4, 1), end
 * α ≈ 87, errors amplified by negative curvature) dop853 at 1e-12 → 8.6e-12 (at 1e-11 → 1e-10,
 * too close), dopri5 at 1e-11 → 1.1e-11.
 */
export const DEFAULT_RTOL: Readonly<Record<OdeMethod, number>> = { dop853: 1e-12, dopri5: 1e-11 };
/**
 * Factor on {@link stateAtol} in the exp map: the error control is relative to each component's current
 * magnitude, with the scale-based absolute tolerance only as a far floor, so that a coordinate that
 * decays towards a boundary it never reaches (normal σ(t) = e^{−100t}) keeps its relative accuracy.
 */
export const RELATIVE_FLOOR = 1e-200;
/** Default tolerance of the default integrator. */
export const GEODESIC_RTOL = DEFAULT_RTOL.dop853;

/** The integrator function of a method. */
export function integrator(method: OdeMethod = 'dop853'): (f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, o?: OdeOptions) => OdeResult {
  return method === 'dopri5' ? dormandPrince : dormandPrince853;
}

export interface ExpMapOptions {
  /** End time (default 1: the exponential map). */
  t?: number;
  rtol?: number;
  /** Absolute tolerance (default: {@link stateAtol}, i.e. rtol relative to each parameter's scale). */
  atol?: number;
  /** When ≥ 2, also return the path sampled at this many equally spaced times in [0, t]. */
  samples?: number;
  maxSteps?: number;
  /** Integrator (default 'dop853'). */
  method?: OdeMethod;
}

export interface GeodesicPath {
  /** Sample times. */
  t: number[];
  /** θ(t_s), one Float64Array per sample. */
  theta: Float64Array[];
  /** θ'(t_s). */
  velocity: Float64Array[];
}

export interface GeodesicResult {
  /** θ at the time reached (the exp map when converged). */
  value: Float64Array;
  /** θ' at the time reached. */
  velocity: Float64Array;
  /** true when the requested end time was reached inside the domain. */
  converged: boolean;
  /** 'domain' when the path leaves the parameter domain (see `message`, `t`). */
  status: OdeStatus;
  /** Time reached: the requested t, or the time where the path leaves the domain. */
  t: number;
  steps: number;
  evaluations: number;
  message?: string;
  /** Sampled path (up to the time reached) when `samples` was given. */
  path?: GeodesicPath;
}

/**
 * Default absolute tolerances for the state [θ, θ']: rtol × scale_i for both θ_i and θ'_i, with
 * scale_i = |θ0_i| + |v_i| (1 when both are 0). This keeps the error control relative for
 * parameters of very small or very large magnitude (e.g. σ = 1e-4, p = 1e-6).
 */
export function stateAtol(theta0: ArrayLike<number>, v: ArrayLike<number>, rtol: number): Float64Array {
  const n = theta0.length;
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const s = Math.abs(theta0[i]) + Math.abs(v[i]);
    out[i] = out[n + i] = rtol * (s > 0 && Number.isFinite(s) ? s : 1);
  }
  return out;
}

/** Γ(θ)[v, v]^k = Σ_ij Γ^k_ij v^i v^j (Γ index [k][i][j]). */
export function contractChristoffel(gamma: ArrayLike<number>, v: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  for (let k = 0; k < n; k++) {
    let s = 0;
    const base = k * n * n;
    for (let i = 0; i < n; i++) {
      let r = 0;
      const row = base + i * n;
      for (let j = 0; j < n; j++) r += gamma[row + j] * v[j];
      s += r * v[i];
    }
    out[k] = s;
  }
  return out;
}

/** Right-hand side of the geodesic equation for the state [θ, θ'] (length 2n). */
export function geodesicRhs(metric: Metric): (t: number, y: Float64Array, dy: Float64Array) => void {
  const n = metric.dim;
  const theta = new Float64Array(n);
  const v = new Float64Array(n);
  const gamma = new Float64Array(n * n * n);
  const acc = new Float64Array(n);
  return (_t, y, dy) => geodesicFlow(metric, n, y, dy, theta, v, gamma, acc);
}

/**
 * The geodesic equation at the state y = [θ, θ']: writes dy = [θ', −Γ(θ)[θ', θ']] and leaves θ, θ',
 * Γ(θ) and the contraction Γ(θ)[θ', θ'] in the scratch arrays for callers that need more.
 */
export function geodesicFlow(
  metric: Metric, n: number, y: Float64Array, dy: Float64Array,
  theta: Float64Array, v: Float64Array, gamma: Float64Array, acc: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    theta[i] = y[i];
    v[i] = y[n + i];
  }
  metric.christoffel(theta, gamma);
  contractChristoffel(gamma, v, n, acc);
  for (let i = 0; i < n; i++) {
    dy[i] = v[i];
    dy[n + i] = -acc[i];
  }
}

/** checkPoint applied to the θ half of a state vector. */
export function stateCheck(metric: Metric): (y: Float64Array) => string | null {
  const n = metric.dim;
  const theta = new Float64Array(n);
  return (y) => {
    for (let i = 0; i < n; i++) {
      theta[i] = y[i];
      if (!Number.isFinite(theta[i])) return `parameter ${i} is not finite`;
    }
    return metric.checkPoint(theta);
  };
}

/**
 * Detects geodesics that touch the domain boundary tangentially, which no pointwise check can see
 * (e.g. poisson λ(t) = (a + bt)² or bernoulli p = sin²(φ0 + ct) reach λ = 0 / p = 0 with zero
 * coordinate velocity and the ODE solution continues smoothly outside the manifold). At every
 * turning point of a coordinate θ_i inside a step (θ'_i changes sign; located on the cubic
 * Hermite interpolant of θ_i, θ'_i) the point is probed at θ_i ± 1e-7·scale_i; if a probe is
 * outside the domain the geodesic is reported as leaving it there.
 */
export function boundaryTouchEvent(metric: Metric, scale: ArrayLike<number>) {
  const n = metric.dim;
  const probe = new Float64Array(n);
  const state = new Float64Array(2 * n);
  return (t0: number, y0: Float64Array, t1: number, y1: Float64Array): { t: number; y: Float64Array; message: string } | null => {
    const h = t1 - t0;
    for (let i = 0; i < n; i++) {
      const d0 = y0[n + i], d1 = y1[n + i];
      if (!(d0 * d1 < 0) && !(d1 === 0 && d0 !== 0)) continue;
      // Hermite basis on s ∈ [0,1]: p(s) = h00 p0 + h10 h m0 + h01 p1 + h11 h m1; solve p'(s) = 0
      const p0 = y0[i], p1 = y1[i], m0 = h * d0, m1 = h * d1;
      const A = 3 * (2 * p0 + m0 - 2 * p1 + m1), B = 2 * (-3 * p0 - 2 * m0 + 3 * p1 - m1), C = m0;
      let s = -1;
      if (Math.abs(A) < 1e-300) s = B !== 0 ? -C / B : -1;
      else {
        const disc = B * B - 4 * A * C;
        if (disc >= 0) {
          const q = -0.5 * (B + Math.sign(B || 1) * Math.sqrt(disc));
          const r1 = q / A, r2 = q !== 0 ? C / q : -1;
          s = r1 >= 0 && r1 <= 1 ? r1 : r2;
        }
      }
      if (!(s >= 0 && s <= 1)) s = d0 / (d0 - d1); // linear fallback on the velocity
      if (!(s >= 0 && s <= 1)) continue;
      const hermite = (a0: number, a1: number, v0: number, v1: number) => {
        const s2 = s * s, s3 = s2 * s;
        return (2 * s3 - 3 * s2 + 1) * a0 + (s3 - 2 * s2 + s) * h * v0 + (-2 * s3 + 3 * s2) * a1 + (s3 - s2) * h * v1;
      };
      for (let j = 0; j < n; j++) {
        state[j] = hermite(y0[j], y1[j], y0[n + j], y1[n + j]);
        state[n + j] = y0[n + j] + s * (y1[n + j] - y0[n + j]);
      }
      const eps = 1e-7 * scale[i];
      for (const sign of [-1, 1]) {
        for (let j = 0; j < n; j++) probe[j] = state[j];
        probe[i] += sign * eps;
        const msg = metric.checkPoint(probe);
        if (msg !== null) {
          return { t: t0 + s * h, y: state.slice(), message: `${msg} (the geodesic reaches the boundary tangentially)` };
        }
      }
    }
    return null;
  };
}

/** Largest accepted relative drift of the conserved speed ‖θ'‖²_g along a computed geodesic. */
export const SPEED_DRIFT_TOLERANCE = 1e-6;

/**
 * Detects a geodesic that runs into a boundary where the metric blows up (bernoulli p → 1 along
 * p(t) = sin²(φ0 + ct)): the solver cannot resolve the turn, the state creeps towards the boundary and
 * no point ever fails checkPoint. The geodesic speed ‖θ'‖²_g is conserved exactly, so a relative drift
 * above {@link SPEED_DRIFT_TOLERANCE} (integration error is ~rtol) means the integration broke down; when
 * the point is then within 1e-6·scale of the boundary (a probe fails checkPoint) the geodesic is reported
 * as leaving the domain there. Only for the Levi-Civita connection (expMap skips it when
 * `metric.conservesSpeed === false`, e.g. α-connections).
 */
export function speedDriftEvent(metric: Metric, theta0: ArrayLike<number>, v0: ArrayLike<number>, scale: ArrayLike<number>) {
  const n = metric.dim;
  const theta = new Float64Array(n);
  const v = new Float64Array(n);
  const g = new Float64Array(n * n);
  const speed0 = metricNorm(metric, theta0, v0, g) ** 2;
  return (_t0: number, _y0: Float64Array, t1: number, y1: Float64Array): { t: number; y: Float64Array; message: string } | null => {
    if (!(speed0 > 0) || !Number.isFinite(speed0)) return null;
    for (let i = 0; i < n; i++) {
      theta[i] = y1[i];
      v[i] = y1[n + i];
    }
    const s = metricNorm(metric, theta, v, g) ** 2;
    const drift = Math.abs(s / speed0 - 1);
    if (drift <= SPEED_DRIFT_TOLERANCE) return null;
    const near = nearBoundary(metric, theta, scale);
    if (near === null) return null;
    return { t: t1, y: y1.slice(), message: `${near}; the metric is singular there (relative drift of the conserved speed ‖θ'‖²_g: ${drift.toExponential(1)})` };
  };
}

/**
 * null, or a message when θ lies within 1e-6·scale_i of the domain boundary in some coordinate i
 * (a probe θ ± 1e-6·scale_i·e_i fails checkPoint).
 */
export function nearBoundary(metric: Metric, theta: ArrayLike<number>, scale: ArrayLike<number>): string | null {
  const n = metric.dim;
  const probe = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const sign of [-1, 1]) {
      probe.set(Array.from({ length: n }, (_, j) => theta[j]));
      probe[i] += sign * 1e-6 * scale[i];
      const msg = metric.checkPoint(probe);
      if (msg !== null) {
        const at = Array.from({ length: n }, (_, j) => `θ${j} = ${theta[j]}`).join(', ');
        return `the geodesic reaches the boundary of the domain (at ${at}, a step of ${(1e-6 * scale[i]).toExponential(1)} in θ${i} gives: ${msg})`;
      }
    }
  }
  return null;
}

/**
 * Exponential map exp_θ0(t·v): the point reached at time t (default 1) by the geodesic with
 * θ(0) = θ0 and θ'(0) = v. Stops, with status 'domain' and the crossing time in `t`, if the
 * path leaves the parameter domain (metric.checkPoint ≠ null); it never throws for that.
 * @param metric Riemannian metric with Christoffel symbols Γ^k_ij at [k][i][j]
 * @param theta0 start point (parameter order of the metric)
 * @param v initial velocity (same order)
 * @example
 * // exponential family (rate λ): g = 1/λ², geodesic λ(t) = λ0·exp(t·v/λ0)
 * expMap(exponentialMetric, [2], [1]).value[0]  // returns 2·e^{1/2} = 3.2974425414...
 */
export function expMap(metric: Metric, theta0: ArrayLike<number>, v: ArrayLike<number>, opts: ExpMapOptions = {}): GeodesicResult {
  const n = metric.dim;
  const T = opts.t ?? 1;
  const y0 = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    y0[i] = theta0[i];
    y0[n + i] = v[i];
  }
  const check = stateCheck(metric);
  const startProblem = check(y0);
  if (startProblem !== null) {
    return {
      value: Float64Array.from(theta0), velocity: Float64Array.from(v), converged: false, status: 'domain', t: 0,
      steps: 0, evaluations: 0, message: `start point is outside the domain: ${startProblem}`,
    };
  }
  const samples = opts.samples ?? 0;
  const method = opts.method ?? 'dop853';
  const scale = Array.from({ length: n }, (_, i) => Math.abs(theta0[i]) + Math.abs(v[i]) || 1);
  const touch = boundaryTouchEvent(metric, scale);
  const drift = speedDriftEvent(metric, theta0, v, scale);
  const r = integrator(method)(geodesicRhs(metric), 0, y0, T, {
    rtol: opts.rtol ?? DEFAULT_RTOL[method],
    atol: opts.atol ?? stateAtol(theta0, v, opts.rtol ?? DEFAULT_RTOL[method]).map((a) => a * RELATIVE_FLOOR),
    errorComponents: 2 * n,
    dense: samples >= 2,
    maxSteps: opts.maxSteps,
    check,
    event: metric.conservesSpeed === false ? touch : (t0, ya, t1, yb) => touch(t0, ya, t1, yb) ?? drift(t0, ya, t1, yb),
  });
  let message = r.message;
  let status = r.status;
  if (status === 'stalled' || (status === 'domain' && /not finite/.test(r.message ?? ''))) {
    // a stall with a non-finite derivative right at the boundary (bernoulli p → 0) is the boundary
    const near = nearBoundary(metric, r.y.subarray(0, n), scale);
    if (near !== null) {
      status = 'domain';
      message = `geodesic leaves the parameter domain at t=${r.t.toPrecision(8)}: ${near}`;
    }
  }
  if (message !== r.message) {
    // set above
  } else if (r.status === 'domain') message = `geodesic leaves the parameter domain at t=${r.t.toPrecision(8)}: ${r.message}`;
  else if (r.status === 'stalled') message = `geodesic integration stalled at t=${r.t.toPrecision(8)} (singular metric?): ${r.message}`;
  else if (r.status === 'max-steps') message = `geodesic integration took too many steps (reached t=${r.t.toPrecision(8)})`;
  const out: GeodesicResult = {
    value: r.y.slice(0, n),
    velocity: r.y.slice(n, 2 * n),
    converged: r.converged,
    status,
    t: r.t,
    steps: r.steps,
    evaluations: r.evaluations,
    message,
  };
  if (samples >= 2 && r.dense) {
    const path: GeodesicPath = { t: [], theta: [], velocity: [] };
    const buf = new Float64Array(2 * n);
    for (let s = 0; s < samples; s++) {
      const ts = (T * s) / (samples - 1);
      if (Math.abs(ts) > Math.abs(r.t)) break;
      r.dense.at(ts, buf);
      if (s === samples - 1 && r.converged) buf.set(r.y);
      path.t.push(ts);
      path.theta.push(buf.slice(0, n));
      path.velocity.push(buf.slice(n));
    }
    out.path = path;
  }
  return out;
}

/** Alias of {@link expMap} under the CLI verb's name (`infogeo geodesic`). */
export const geodesic = expMap;

/** ‖v‖_g = sqrt(vᵀ g(θ) v). */
export function metricNorm(metric: Metric, theta: ArrayLike<number>, v: ArrayLike<number>, g?: Float64Array): number {
  const n = metric.dim;
  const G = metric.fisher(theta, g);
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += G[i * n + j] * v[j];
    s += r * v[i];
  }
  return Math.sqrt(Math.max(0, s));
}
