/**
 * Adaptive Dormand–Prince 5(4) integrator (DOPRI5) with FSAL, PI step-size control,
 * Hairer's 4th-order continuous extension (dense output) and an optional domain check.
 *
 * Solves y' = f(t, y) for a state vector y ∈ R^n from t0 to t1 (t1 may be < t0).
 * The right-hand side writes into `dy` and never throws; a non-finite derivative or trial
 * state makes the step rejected and retried with a smaller step.
 *
 * Error norm (Hairer–Nørsett–Wanner, Solving ODE I, II.4):
 *   err = sqrt( (1/m) Σ_{i<m} ( e_i / (atol + rtol·max(|y_i|, |ŷ_i|)) )² ),
 * over the first m = `errorComponents` components (default all). Variational components
 * (Jacobians) can thus ride along without driving the step size.
 *
 * @see E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I, §II.4–II.6 (DOPRI5, dense output).
 */

/** Right-hand side: write f(t, y) into dy. Must not throw; NaN marks an invalid state. */
export type OdeRhs = (t: number, y: Float64Array, dy: Float64Array) => void;

export interface OdeOptions {
  /** Relative tolerance (default 1e-12). */
  rtol?: number;
  /** Absolute tolerance, one value or one per component (default 1e-12). */
  atol?: number | ArrayLike<number>;
  /** Number of leading state components used in the error norm (default: all). */
  errorComponents?: number;
  /** Initial step (default: Hairer's automatic choice). */
  h0?: number;
  /** Largest step magnitude (default |t1 − t0|). */
  hmax?: number;
  /** Maximum number of steps, accepted or rejected (default 100000). */
  maxSteps?: number;
  /** Keep every accepted step's interpolation data so that `dense.at(t)` works on [t0, t1]. */
  dense?: boolean;
  /**
   * Called on each accepted state; returns null when y is admissible, else a message.
   * On the first failure the crossing time is located by bisection on the dense output
   * of the last step and the integration stops with status 'domain'.
   */
  check?: (y: Float64Array) => string | null;
  /**
   * Called after each accepted step with the states at both ends (after `check` passed). A
   * non-null return stops the integration with status 'domain' at the returned time and state.
   */
  event?: (t0: number, y0: Float64Array, t1: number, y1: Float64Array) => { t: number; y: Float64Array; message: string } | null;
}

export type OdeStatus = 'ok' | 'domain' | 'stalled' | 'max-steps';

/** Piecewise polynomial interpolant of the accepted steps (4th order, continuous). */
export interface DenseOutput {
  /** First and last time covered. */
  readonly t0: number;
  readonly t1: number;
  /** y(t) for t in [t0, t1] (clamped), written into out. */
  at(t: number, out?: Float64Array): Float64Array;
}

export interface OdeResult {
  /** true when t1 was reached. */
  converged: boolean;
  status: OdeStatus;
  /** Time reached (t1 when converged, the crossing time for status 'domain'). */
  t: number;
  /** State at `t`. */
  y: Float64Array;
  /** Accepted and rejected step counts, and right-hand-side evaluations. */
  steps: number;
  rejected: number;
  evaluations: number;
  /** Message for status 'domain' (from `check`) or 'stalled'. */
  message?: string;
  /** Interpolant over [t0, t] when `dense` was requested. */
  dense?: DenseOutput;
}

// Dormand–Prince 5(4) tableau.
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Dense output coefficients (Hairer's CONTD5).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072;
const D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

/** Interpolation data of one step: y(told + s·h) = r1 + s(r2 + (1−s)(r3 + s(r4 + (1−s) r5))). */
interface Segment {
  told: number;
  h: number;
  r: Float64Array; // 5n: r1..r5
}

function evalSegment(seg: Segment, n: number, t: number, out: Float64Array): void {
  const s = seg.h === 0 ? 0 : (t - seg.told) / seg.h;
  const s1 = 1 - s;
  const r = seg.r;
  for (let i = 0; i < n; i++) {
    out[i] = r[i] + s * (r[n + i] + s1 * (r[2 * n + i] + s * (r[3 * n + i] + s1 * r[4 * n + i])));
  }
}

/**
 * Dense output over the accepted steps of a Runge–Kutta run: clamps t to [t0, t1], finds the step
 * containing it by binary search and evaluates that step's interpolant (`evalSeg`).
 */
function denseFromSegments<S extends { readonly told: number }>(
  segments: readonly S[],
  n: number,
  t0: number,
  t1: number,
  evalSeg: (seg: S, n: number, t: number, out: Float64Array) => void,
): DenseOutput {
  const forward = t1 >= t0;
  return {
    t0,
    t1,
    at(t: number, out = new Float64Array(n)): Float64Array {
      if (segments.length === 0) throw new Error('dense output is empty');
      if (forward ? t < t0 : t > t0) t = t0;
      if (forward ? t > t1 : t < t1) t = t1;
      let lo = 0, hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (forward ? segments[mid].told <= t : segments[mid].told >= t) lo = mid;
        else hi = mid - 1;
      }
      evalSeg(segments[lo], n, t, out);
      return out;
    },
  };
}

/**
 * First inadmissible time of an accepted step [t, t + hs] whose end failed `check`: bisection on the
 * step's interpolant (to 1e-15 of the step). Writes the state there into `out` and returns the time.
 */
function locateDomainExit<S>(
  seg: S,
  n: number,
  t: number,
  hs: number,
  check: (y: Float64Array) => string | null,
  evalSeg: (seg: S, n: number, t: number, out: Float64Array) => void,
  out: Float64Array,
): number {
  let a = 0, b = 1;
  for (let it = 0; it < 60 && b - a > 1e-15; it++) {
    const c = 0.5 * (a + b);
    evalSeg(seg, n, t + c * hs, out);
    if (check(out) === null) a = c;
    else b = c;
  }
  const tc = t + b * hs;
  evalSeg(seg, n, tc, out);
  return tc;
}

/**
 * Step size below which an accepted step whose end lies outside the domain counts as a real boundary
 * crossing (issue 10): larger steps that leave the domain are rejected and shrunk, since an error
 * estimate within tolerance does not exclude overshooting a boundary the true solution only approaches
 * (e.g. σ(t) = e^{−100t} → 0 on the complete normal manifold).
 */
function crossingStepFloor(t0: number, t1: number): number {
  return 1e-10 * Math.max(Math.abs(t1 - t0), 1e-300);
}

/** Options of an adaptive run with their defaults resolved. */
function resolveOdeOptions(n: number, t0: number, t1: number, opts: OdeOptions) {
  const atolOpt = opts.atol ?? 1e-12;
  const atol = new Float64Array(n).fill(typeof atolOpt === 'number' ? atolOpt : 1e-12);
  if (typeof atolOpt !== 'number') for (let i = 0; i < Math.min(n, atolOpt.length); i++) atol[i] = atolOpt[i];
  const span = t1 - t0;
  return {
    rtol: opts.rtol ?? 1e-12,
    atol,
    /** Number of leading components in the error norm. */
    m: Math.min(n, opts.errorComponents ?? n),
    maxSteps: opts.maxSteps ?? 100000,
    dir: span >= 0 ? 1 : -1,
    hmax: Math.abs(opts.hmax ?? span) || Infinity,
    check: opts.check,
  };
}

/**
 * One embedded Runge–Kutta pair as {@link integrateEmbedded} drives it: the pair owns its stage
 * slopes; the driver owns the states, the step-size control and the domain and event handling.
 */
export interface EmbeddedPair<Seg extends { readonly told: number }> {
  /** Order used by the initial-step heuristic (HINIT's exponent 1/order). */
  readonly order: number;
  /** Step-size controller: h_new = h / fac with fac = clamp(err^exponent / errOld^beta / 0.9, facLow, facHigh) on acceptance, h / min(facHigh, err^exponent / 0.9) on rejection. */
  readonly exponent: number;
  readonly beta: number;
  readonly facLow: number;
  readonly facHigh: number;
  /** Slope at the current state (FSAL: refreshed by {@link accept}). The driver fills it at t0. */
  slope0(): Float64Array;
  /** Scratch slope the initial-step heuristic may overwrite. */
  scratch(): Float64Array;
  /**
   * One trial step from (t, y) by hs ending at tEnd: writes the new state into ynew (stage states
   * go through ytmp) and the slope there into the pair's last slope. Returns the error norm over
   * the first m components, or a non-finite number when the new state or its slope is not finite.
   */
  attempt(t: number, hs: number, tEnd: number, y: Float64Array, ynew: Float64Array, ytmp: Float64Array): number;
  /** Interpolation data of the step just attempted (before {@link accept}). */
  segment(t: number, hs: number, y: Float64Array, ynew: Float64Array, ytmp: Float64Array): Seg;
  evalSegment(seg: Seg, n: number, t: number, out: Float64Array): void;
  /** The step is accepted: the last slope becomes the first (FSAL). */
  accept(): void;
}

/**
 * Adaptive driver shared by DOPRI5 and DOP853: Hairer's initial step, step acceptance and
 * rejection, non-finite states, domain crossings located on the step's interpolant, events and
 * dense output. Never throws for numerical trouble: the result's `status` says whether t1 was reached.
 */
export function integrateEmbedded<Seg extends { readonly told: number }>(
  makePair: (f: OdeRhs, n: number, atol: Float64Array, rtol: number, m: number) => EmbeddedPair<Seg>,
  f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, opts: OdeOptions,
): OdeResult {
  const n = y0.length;
  const { rtol, atol, m, maxSteps, dir, hmax, check } = resolveOdeOptions(n, t0, t1, opts);
  const span = t1 - t0;
  const segments: Seg[] | null = opts.dense ? [] : null;
  let evaluations = 0;
  const fc: OdeRhs = (t, yy, dy) => {
    evaluations++;
    f(t, yy, dy);
  };
  const pair = makePair(fc, n, atol, rtol, m);

  let y = Float64Array.from(y0);
  let ynew = new Float64Array(n);
  const ytmp = new Float64Array(n);

  const result = (status: OdeStatus, t: number, yy: Float64Array, steps: number, rejected: number, message?: string): OdeResult => {
    const r: OdeResult = { converged: status === 'ok', status, t, y: yy, steps, rejected, evaluations, message };
    if (segments) r.dense = denseFromSegments(segments, n, t0, t, pair.evalSegment);
    return r;
  };

  if (span === 0) return result('ok', t0, y, 0, 0);
  const k0 = pair.slope0();
  fc(t0, y, k0);

  // Initial step (Hairer's HINIT).
  let h: number;
  if (opts.h0 !== undefined) h = Math.abs(opts.h0);
  else {
    const k1 = pair.scratch();
    let dnf = 0, dny = 0;
    for (let i = 0; i < m; i++) {
      const sk = atol[i] + rtol * Math.abs(y[i]);
      dnf += (k0[i] / sk) ** 2;
      dny += (y[i] / sk) ** 2;
    }
    h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    h = Math.min(h, hmax);
    for (let i = 0; i < n; i++) ytmp[i] = y[i] + dir * h * k0[i];
    fc(t0 + dir * h, ytmp, k1);
    let der2 = 0;
    for (let i = 0; i < m; i++) {
      const sk = atol[i] + rtol * Math.abs(y[i]);
      der2 += ((k1[i] - k0[i]) / sk) ** 2;
    }
    der2 = Math.sqrt(der2) / h;
    const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
    const h1 = der12 <= 1e-15 || !Number.isFinite(der12) ? Math.max(1e-6, Math.abs(h) * 1e-3) : (0.01 / der12) ** (1 / pair.order);
    h = Math.min(100 * Math.abs(h), h1, hmax);
    if (!Number.isFinite(h) || h <= 0) h = Math.min(1e-3 * Math.abs(span), hmax);
  }
  h = Math.min(h, Math.abs(span));

  let t = t0;
  let steps = 0, rejected = 0;
  let errOld = 1e-4;
  let lastRejected = false;
  const hmin = 1e-14 * Math.max(1, Math.abs(t0), Math.abs(t1));
  const crossingFloor = crossingStepFloor(t0, t1);
  const { exponent, beta, facLow, facHigh } = pair;

  while (steps + rejected < maxSteps) {
    let last = false;
    if (Math.abs(t1 - t) <= Math.abs(h) * (1 + 1e-12)) {
      h = Math.abs(t1 - t);
      last = true;
    }
    const hs = dir * h;
    const err = pair.attempt(t, hs, last ? t1 : t + hs, y, ynew, ytmp);

    if (!Number.isFinite(err)) {
      rejected++;
      lastRejected = true;
      h *= 0.25;
      if (h < hmin) {
        const msg = check ? check(ytmp) ?? check(ynew) : null;
        return result(msg ? 'domain' : 'stalled', t, y, steps, rejected, msg ?? `non-finite derivative near t=${t}`);
      }
      continue;
    }

    const fac11 = err ** exponent;
    if (err <= 1) {
      if (check) {
        const msg = check(ynew);
        if (msg !== null) {
          // An end state outside the domain is first taken for step overshoot: reject and shrink.
          // Only a step at the floor that still crosses is a real boundary crossing.
          if (h >= crossingFloor) {
            rejected++;
            lastRejected = true;
            h = Math.max(h * 0.25, crossingFloor * 0.5);
            continue;
          }
          const seg = pair.segment(t, hs, y, ynew, ytmp);
          const tc = locateDomainExit(seg, n, t, hs, check, pair.evalSegment, ytmp);
          if (segments) segments.push(seg);
          return result('domain', tc, Float64Array.from(ytmp), steps + 1, rejected, check(ytmp) ?? msg);
        }
      }
      if (opts.event) {
        const ev = opts.event(t, y, last ? t1 : t + hs, ynew);
        if (ev) return result('domain', ev.t, Float64Array.from(ev.y), steps + 1, rejected, ev.message);
      }
      if (segments) segments.push(pair.segment(t, hs, y, ynew, ytmp));
      // PI control (Hairer): beta = 0 gives the plain controller.
      const fac = Math.max(facLow, Math.min(facHigh, fac11 / errOld ** beta / 0.9));
      errOld = Math.max(err, 1e-4);
      steps++;
      t = last ? t1 : t + hs;
      const tmpY = y; y = ynew; ynew = tmpY;
      pair.accept();
      if (last) return result('ok', t1, y, steps, rejected);
      let hnew = h / fac;
      if (lastRejected) hnew = Math.min(hnew, h);
      h = Math.min(hnew, hmax);
      lastRejected = false;
    } else {
      rejected++;
      lastRejected = true;
      h = h / Math.min(facHigh, fac11 / 0.9);
      if (h < hmin) return result('stalled', t, y, steps, rejected, `step size underflow near t=${t}`);
    }
  }
  return result('max-steps', t, y, steps, rejected, `more than ${maxSteps} steps`);
}

/**
 * Integrates y' = f(t, y) from t0 to t1 with DOPRI5. Never throws for numerical trouble:
 * the result's `status` says whether t1 was reached.
 * @param f right-hand side, writes into dy
 * @param y0 initial state (not modified)
 * @example
 * // y' = y, y(0) = 1 → y(1) = e
 * dormandPrince((t, y, dy) => { dy[0] = y[0]; }, 0, Float64Array.of(1), 1).y[0]  // returns 2.718281828459...
 */
export function dormandPrince(f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, opts: OdeOptions = {}): OdeResult {
  return integrateEmbedded(dopri5Pair, f, t0, y0, t1, opts);
}

/** The Dormand–Prince 5(4) pair: 6 new stages a step, PI control (beta 0.04), h_new ∈ [h/5, 10h]. */
function dopri5Pair(f: OdeRhs, n: number, atol: Float64Array, rtol: number, m: number): EmbeddedPair<Segment> {
  let k1 = new Float64Array(n);
  const k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n);
  const k5 = new Float64Array(n), k6 = new Float64Array(n);
  let k7 = new Float64Array(n);
  return {
    order: 5, exponent: 0.17, beta: 0.04, facLow: 1 / 10, facHigh: 5,
    slope0: () => k1,
    scratch: () => k2,
    attempt: (t, hs, tph, y, ynew, ytmp) => step5(f, n, m, atol, rtol, t, hs, tph, y, ynew, ytmp, k1, k2, k3, k4, k5, k6, k7),
    segment: (t, hs, y, ynew) => makeSegment(y, ynew, k1, k3, k4, k5, k6, k7, n, t, hs),
    evalSegment,
    accept() {
      const tmp = k1; k1 = k7; k7 = tmp;
    },
  };
}

/** One DOPRI5 trial step (see {@link EmbeddedPair.attempt}); k1 is the slope at y, k7 receives the slope at ynew. */
function step5(
  f: OdeRhs, n: number, m: number, atol: Float64Array, rtol: number, t: number, hs: number, tph: number,
  y: Float64Array, ynew: Float64Array, ytmp: Float64Array,
  k1: Float64Array, k2: Float64Array, k3: Float64Array, k4: Float64Array, k5: Float64Array, k6: Float64Array, k7: Float64Array,
): number {
  for (let i = 0; i < n; i++) ytmp[i] = y[i] + hs * A21 * k1[i];
  f(t + C2 * hs, ytmp, k2);
  for (let i = 0; i < n; i++) ytmp[i] = y[i] + hs * (A31 * k1[i] + A32 * k2[i]);
  f(t + C3 * hs, ytmp, k3);
  for (let i = 0; i < n; i++) ytmp[i] = y[i] + hs * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
  f(t + C4 * hs, ytmp, k4);
  for (let i = 0; i < n; i++) ytmp[i] = y[i] + hs * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
  f(t + C5 * hs, ytmp, k5);
  for (let i = 0; i < n; i++) ytmp[i] = y[i] + hs * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
  f(tph, ytmp, k6);
  for (let i = 0; i < n; i++) ynew[i] = y[i] + hs * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
  f(tph, ynew, k7);
  for (let i = 0; i < n; i++) if (!Number.isFinite(ynew[i]) || !Number.isFinite(k7[i])) return NaN;
  let err = 0;
  for (let i = 0; i < m; i++) {
    const e = hs * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
    const sk = atol[i] + rtol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
    err += (e / sk) ** 2;
  }
  return Math.sqrt(err / m);
}

function makeSegment(
  y: Float64Array, ynew: Float64Array, k1: Float64Array, k3: Float64Array, k4: Float64Array,
  k5: Float64Array, k6: Float64Array, k7: Float64Array, n: number, t: number, hs: number,
): Segment {
  const r = new Float64Array(5 * n);
  for (let i = 0; i < n; i++) {
    const ydiff = ynew[i] - y[i];
    const bspl = hs * k1[i] - ydiff;
    r[i] = y[i];
    r[n + i] = ydiff;
    r[2 * n + i] = bspl;
    r[3 * n + i] = ydiff - hs * k7[i] - bspl;
    r[4 * n + i] = hs * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
  }
  return { told: t, h: hs, r };
}
