/**
 * Parallel transport of tangent vectors along the geodesic of a connection:
 *   θ'' + Γ(θ)[θ', θ'] = 0,   W'^k + Γ^k_ij θ'^i W^j = 0,
 * integrated as one system [θ, θ', W_1 … W_m] with the geodesic integrators (dense output, error
 * control on every component, domain checks on θ). For the Levi-Civita connection the transported
 * vectors keep their Fisher inner products; for the α-connection the pairing ⟨Π^(α) u, Π^(−α) w⟩_g
 * is preserved instead (duality of ∇^(α) and ∇^(−α)).
 */
import type { Metric } from '../../core/types.js';
import { contractChristoffel, DEFAULT_RTOL, integrator, stateCheck, type OdeMethod } from './expMap.js';

export interface TransportOptions {
  /** End time (default 1). */
  t?: number;
  rtol?: number;
  method?: OdeMethod;
  /** Connection that transports the vectors (default: the one whose geodesic is followed). */
  connection?: Metric;
}

export interface TransportResult {
  /** θ(t). */
  end: Float64Array;
  /** θ'(t). */
  velocity: Float64Array;
  /** The transported vectors at θ(t), in the order given. */
  vectors: Float64Array[];
  converged: boolean;
  t: number;
  message?: string;
}

/**
 * Transports `vectors` (tangent at θ0) along the geodesic θ(s), s ∈ [0, t], of `metric` with
 * θ(0) = θ0, θ'(0) = v, by `opts.connection` (default: the same connection).
 * @example
 * // normal (μ, σ): transporting ∂_σ along the vertical geodesic keeps ‖W‖_g = √2 for all t.
 */
export function parallelTransport(metric: Metric, theta0: ArrayLike<number>, v: ArrayLike<number>, vectors: readonly ArrayLike<number>[], opts: TransportOptions = {}): TransportResult {
  const n = metric.dim;
  const m = vectors.length;
  const size = 2 * n + m * n;
  const y0 = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    y0[i] = theta0[i];
    y0[n + i] = v[i];
  }
  vectors.forEach((w, a) => {
    for (let i = 0; i < n; i++) y0[2 * n + a * n + i] = w[i];
  });
  const theta = new Float64Array(n);
  const vel = new Float64Array(n);
  const gamma = new Float64Array(n * n * n);
  const transportGamma = opts.connection ? new Float64Array(n * n * n) : gamma;
  const acc = new Float64Array(n);
  const rhs = (_t: number, y: Float64Array, dy: Float64Array) => {
    for (let i = 0; i < n; i++) {
      theta[i] = y[i];
      vel[i] = y[n + i];
    }
    metric.christoffel(theta, gamma);
    if (opts.connection) opts.connection.christoffel(theta, transportGamma);
    contractChristoffel(gamma, vel, n, acc);
    for (let i = 0; i < n; i++) {
      dy[i] = vel[i];
      dy[n + i] = -acc[i];
    }
    for (let a = 0; a < m; a++) {
      const o = 2 * n + a * n;
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const row = (k * n + i) * n;
          let r = 0;
          for (let j = 0; j < n; j++) r += transportGamma[row + j] * y[o + j];
          s += vel[i] * r;
        }
        dy[o + k] = -s;
      }
    }
  };
  const method = opts.method ?? 'dop853';
  const rtol = opts.rtol ?? DEFAULT_RTOL[method];
  const atol = new Float64Array(size);
  for (let i = 0; i < size; i++) atol[i] = rtol * (Math.abs(y0[i]) || 1);
  const T = opts.t ?? 1;
  const r = integrator(method)(rhs, 0, y0, T, { rtol, atol, errorComponents: size, check: stateCheck(metric) });
  return {
    end: r.y.slice(0, n),
    velocity: r.y.slice(n, 2 * n),
    vectors: Array.from({ length: m }, (_, a) => r.y.slice(2 * n + a * n, 2 * n + (a + 1) * n)),
    converged: r.converged,
    t: r.t,
    message: r.status === 'domain' ? `geodesic leaves the parameter domain at t=${r.t.toPrecision(8)}: ${r.message}` : r.message,
  };
}
