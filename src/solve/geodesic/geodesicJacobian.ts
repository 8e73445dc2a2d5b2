/**
 * Exponential map together with its derivative with respect to the initial velocity, from the
 * variational equations of the geodesic ODE. With J_θ = ∂θ(t)/∂v0 and J_v = ∂θ'(t)/∂v0 (n×n):
 *   J_θ' = J_v,
 *   (J_v)'^k_c = −∂_m(Γ^k_ij) v^i v^j (J_θ)^m_c − 2 Γ^k_ij v^i (J_v)^j_c,
 * with J_θ(0) = 0, J_v(0) = I. The term ∂_m Γ^k_ij uses `christoffelDerivative` when the metric
 * provides it, else a forward difference of Γ(θ)[v,v] along each column of J_θ (relative step
 * 1e-8 per component, ~1e-8 relative accuracy), which limits only the Newton convergence rate,
 * not the accuracy of the shooting solution (the residual is always computed from the geodesic).
 */
import type { Metric } from '../../core/types.js';
import { contractChristoffel, DEFAULT_RTOL, geodesicFlow, integrator, stateAtol, stateCheck, type OdeMethod } from './expMap.js';
import type { OdeStatus } from './ode.js';

/** Optional extension of Metric: ∂_m Γ^k_ij at index [m][k][i][j] (length n⁴). */
export interface MetricWithChristoffelDerivative extends Metric {
  christoffelDerivative(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
}

export function hasChristoffelDerivative(m: Metric): m is MetricWithChristoffelDerivative {
  return typeof (m as Partial<MetricWithChristoffelDerivative>).christoffelDerivative === 'function';
}

export interface ExpJacobianResult {
  /** θ(1). */
  value: Float64Array;
  /** θ'(1). */
  velocity: Float64Array;
  /** ∂θ(1)/∂v0, row-major n×n: jacobian[i*n + c] = ∂θ^i/∂v0^c. */
  jacobian: Float64Array;
  converged: boolean;
  status: OdeStatus;
  t: number;
  message?: string;
  evaluations: number;
}

/** Right-hand side of the geodesic + variational system, state [θ, v, J_θ columns, J_v columns]. */
function variationalRhs(metric: Metric): (t: number, y: Float64Array, dy: Float64Array) => void {
  const n = metric.dim;
  const nn = n * n;
  const theta = new Float64Array(n);
  const v = new Float64Array(n);
  const gamma = new Float64Array(n * nn);
  const acc = new Float64Array(n);
  const tp = new Float64Array(n);
  const accP = new Float64Array(n);
  const gammaP = new Float64Array(n * nn);
  const dGamma = hasChristoffelDerivative(metric) ? new Float64Array(nn * nn) : null;
  const dv = new Float64Array(n);
  return (_t, y, dy) => {
    geodesicFlow(metric, n, y, dy, theta, v, gamma, acc);
    if (dGamma) (metric as MetricWithChristoffelDerivative).christoffelDerivative(theta, dGamma);
    const oT = 2 * n, oV = 2 * n + nn;
    for (let c = 0; c < n; c++) {
      const jt = oT + c * n, jv = oV + c * n;
      // directional derivative D(Γ[v,v])[d], d = J_θ column c
      if (dGamma) {
        for (let k = 0; k < n; k++) {
          let s = 0;
          for (let mm = 0; mm < n; mm++) {
            const d = y[jt + mm];
            if (d === 0) continue;
            const base = (mm * n + k) * nn;
            let q = 0;
            for (let i = 0; i < n; i++) {
              let r = 0;
              for (let j = 0; j < n; j++) r += dGamma[base + i * n + j] * v[j];
              q += r * v[i];
            }
            s += q * d;
          }
          dv[k] = s;
        }
      } else {
        // forward difference: the Jacobian only steers Newton, ~1e-8 relative accuracy suffices
        let eps = Infinity;
        for (let i = 0; i < n; i++) {
          const d = Math.abs(y[jt + i]);
          if (d > 0) eps = Math.min(eps, (1e-8 * Math.max(Math.abs(theta[i]), 1e-3)) / d);
        }
        if (eps === Infinity) dv.fill(0);
        else {
          for (let i = 0; i < n; i++) tp[i] = theta[i] + eps * y[jt + i];
          metric.christoffel(tp, gammaP);
          contractChristoffel(gammaP, v, n, accP);
          for (let k = 0; k < n; k++) dv[k] = (accP[k] - acc[k]) / eps;
        }
      }
      // 2 Γ^k_ij v^i w^j with w = J_v column c
      for (let k = 0; k < n; k++) {
        let s = 0;
        const base = k * nn;
        for (let i = 0; i < n; i++) {
          let r = 0;
          for (let j = 0; j < n; j++) r += gamma[base + i * n + j] * y[jv + j];
          s += r * v[i];
        }
        dy[jt + k] = y[jv + k];
        dy[jv + k] = -dv[k] - 2 * s;
      }
    }
  };
}

/**
 * exp_θ0(v) and ∂exp_θ0(v)/∂v by integrating the variational equations alongside the geodesic
 * (Dormand–Prince 8(5,3) or 5(4); the error control uses only the geodesic components).
 */
export function expMapWithJacobian(
  metric: Metric,
  theta0: ArrayLike<number>,
  v: ArrayLike<number>,
  opts: { rtol?: number; atol?: number; maxSteps?: number; method?: OdeMethod } = {},
): ExpJacobianResult {
  const n = metric.dim;
  const nn = n * n;
  const y0 = new Float64Array(2 * n + 2 * nn);
  for (let i = 0; i < n; i++) {
    y0[i] = theta0[i];
    y0[n + i] = v[i];
    y0[2 * n + nn + i * n + i] = 1; // J_v(0) = I
  }
  const method = opts.method ?? 'dop853';
  const r = integrator(method)(variationalRhs(metric), 0, y0, 1, {
    rtol: opts.rtol ?? DEFAULT_RTOL[method],
    atol: opts.atol ?? stateAtol(theta0, v, opts.rtol ?? DEFAULT_RTOL[method]),
    errorComponents: 2 * n,
    maxSteps: opts.maxSteps,
    check: stateCheck(metric),
  });
  const jacobian = new Float64Array(nn);
  for (let c = 0; c < n; c++) for (let i = 0; i < n; i++) jacobian[i * n + c] = r.y[2 * n + c * n + i];
  return {
    value: r.y.slice(0, n),
    velocity: r.y.slice(n, 2 * n),
    jacobian,
    converged: r.converged,
    status: r.status,
    t: r.t,
    message: r.message,
    evaluations: r.evaluations,
  };
}
