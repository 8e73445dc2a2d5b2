/**
 * Adaptive Dormand–Prince 8(5,3) integrator (DOP853) with FSAL, Hairer's combined 5th/3rd-order
 * error estimate, 7th-order dense output and the same domain-check semantics as
 * {@link dormandPrince} (./ode.ts). At tolerances near 1e-11 it needs several times fewer
 * right-hand-side evaluations than the 5(4) pair, which is why the geodesic solvers use it by default.
 *
 * Error norm (Hairer): with e5_i = h Σ_s E5_s k_s,i / sc_i, e3_i likewise, sc_i = atol + rtol·max(|y_i|, |ŷ_i|),
 *   err = ‖e5‖² / sqrt(m · (‖e5‖² + 0.01 ‖e3‖²))  over the first m components.
 * @see E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I, §II.10.
 */
import { A, B, C, D, E3, E5, N_STAGES } from './dop853Coefficients.js';
import { crossingStepFloor, denseFromSegments, locateDomainExit, resolveOdeOptions } from './ode.js';
import type { OdeOptions, OdeResult, OdeRhs, OdeStatus } from './ode.js';

const S = N_STAGES; // 12 stages per step (stage 12 = FSAL evaluation at the new point)
// Sparse stage rows: for each stage s, the list of (j, a_sj) with a_sj ≠ 0 (j < s).
const ROWS: { j: Int32Array; a: Float64Array }[] = A.map((row, s) => {
  const js: number[] = [], as: number[] = [];
  for (let j = 0; j < s; j++) if (row[j] !== 0) {
    js.push(j);
    as.push(row[j]);
  }
  return { j: Int32Array.from(js), a: Float64Array.from(as) };
});

interface Segment853 {
  told: number;
  h: number;
  /** y_old then F0..F6, each n long. */
  r: Float64Array;
}

function evalSegment(seg: Segment853, n: number, t: number, out: Float64Array): void {
  const x = seg.h === 0 ? 0 : (t - seg.told) / seg.h;
  const x1 = 1 - x;
  const r = seg.r;
  for (let i = 0; i < n; i++) {
    // y = y_old + x(F0 + x1(F1 + x(F2 + x1(F3 + x(F4 + x1(F5 + x F6))))))
    let y = r[7 * n + i] * x;
    y = (y + r[6 * n + i]) * x1;
    y = (y + r[5 * n + i]) * x;
    y = (y + r[4 * n + i]) * x1;
    y = (y + r[3 * n + i]) * x;
    y = (y + r[2 * n + i]) * x1;
    y = (y + r[1 * n + i]) * x;
    out[i] = r[i] + y;
  }
}

/**
 * Integrates y' = f(t, y) from t0 to t1 with DOP853; options and result as {@link dormandPrince}.
 * @example
 * dormandPrince853((t, y, dy) => { dy[0] = y[0]; }, 0, Float64Array.of(1), 1).y[0]  // returns 2.718281828459045
 */
export function dormandPrince853(f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, opts: OdeOptions = {}): OdeResult {
  const n = y0.length;
  const { rtol, atol, m, maxSteps, dir, hmax, check } = resolveOdeOptions(n, t0, t1, opts);
  const span = t1 - t0;
  const segments: Segment853[] | null = opts.dense ? [] : null;

  let y = Float64Array.from(y0);
  let ynew = new Float64Array(n);
  const ytmp = new Float64Array(n);
  // 16 stage slopes (12 + FSAL + 3 dense-output stages)
  const K: Float64Array[] = Array.from({ length: 16 }, () => new Float64Array(n));
  let evaluations = 0;

  const result = (status: OdeStatus, t: number, yy: Float64Array, steps: number, rejected: number, message?: string): OdeResult => {
    const r: OdeResult = { converged: status === 'ok', status, t, y: yy, steps, rejected, evaluations, message };
    if (segments) r.dense = denseFromSegments(segments, n, t0, t, evalSegment);
    return r;
  };
  if (span === 0) return result('ok', t0, y, 0, 0);

  f(t0, y, K[0]);
  evaluations++;

  // Initial step (Hairer's HINIT with order 8).
  let h: number;
  if (opts.h0 !== undefined) h = Math.abs(opts.h0);
  else {
    let dnf = 0, dny = 0;
    for (let i = 0; i < m; i++) {
      const sk = atol[i] + rtol * Math.abs(y[i]);
      dnf += (K[0][i] / sk) ** 2;
      dny += (y[i] / sk) ** 2;
    }
    h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    h = Math.min(h, hmax);
    for (let i = 0; i < n; i++) ytmp[i] = y[i] + dir * h * K[0][i];
    f(t0 + dir * h, ytmp, K[1]);
    evaluations++;
    let der2 = 0;
    for (let i = 0; i < m; i++) {
      const sk = atol[i] + rtol * Math.abs(y[i]);
      der2 += ((K[1][i] - K[0][i]) / sk) ** 2;
    }
    der2 = Math.sqrt(der2) / h;
    const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
    const h1 = der12 <= 1e-15 || !Number.isFinite(der12) ? Math.max(1e-6, Math.abs(h) * 1e-3) : (0.01 / der12) ** (1 / 8);
    h = Math.min(100 * Math.abs(h), h1, hmax);
    if (!Number.isFinite(h) || h <= 0) h = Math.min(1e-3 * Math.abs(span), hmax);
  }
  h = Math.min(h, Math.abs(span));

  const stage = (s: number, t: number, hs: number) => {
    const row = ROWS[s];
    const js = row.j, as = row.a, L = js.length;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let q = 0; q < L; q++) acc += as[q] * K[js[q]][i];
      ytmp[i] = y[i] + hs * acc;
    }
    f(t + C[s] * hs, ytmp, K[s]);
  };

  const segmentOf = (t: number, hs: number): Segment853 => {
    // three extra stages for the dense output
    for (let s = 13; s < 16; s++) stage(s, t, hs);
    evaluations += 3;
    const r = new Float64Array(8 * n);
    for (let i = 0; i < n; i++) {
      const dy = ynew[i] - y[i];
      const fo = K[0][i], fn = K[12][i];
      r[i] = y[i];
      r[n + i] = dy;
      r[2 * n + i] = hs * fo - dy;
      r[3 * n + i] = 2 * dy - hs * (fn + fo);
      for (let q = 0; q < 4; q++) {
        const Dq = D[q];
        let acc = 0;
        for (let s = 0; s < 16; s++) acc += Dq[s] * K[s][i];
        r[(4 + q) * n + i] = hs * acc;
      }
    }
    return { told: t, h: hs, r };
  };

  let t = t0;
  let steps = 0, rejected = 0;
  let lastRejected = false;
  const hmin = 1e-14 * Math.max(1, Math.abs(t0), Math.abs(t1));
  const crossingFloor = crossingStepFloor(t0, t1);

  while (steps + rejected < maxSteps) {
    let last = false;
    if (Math.abs(t1 - t) <= Math.abs(h) * (1 + 1e-12)) {
      h = Math.abs(t1 - t);
      last = true;
    }
    const hs = dir * h;
    for (let s = 1; s < S; s++) stage(s, t, hs);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let s = 0; s < S; s++) acc += B[s] * K[s][i];
      ynew[i] = y[i] + hs * acc;
    }
    const tph = last ? t1 : t + hs;
    f(tph, ynew, K[12]);
    evaluations += S;

    let finite = true;
    for (let i = 0; i < n; i++) if (!Number.isFinite(ynew[i]) || !Number.isFinite(K[12][i])) {
      finite = false;
      break;
    }
    let err = Infinity;
    if (finite) {
      let e5 = 0, e3 = 0;
      for (let i = 0; i < m; i++) {
        let a5 = 0, a3 = 0;
        for (let s = 0; s <= S; s++) {
          a5 += E5[s] * K[s][i];
          a3 += E3[s] * K[s][i];
        }
        const sk = atol[i] + rtol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
        e5 += (a5 / sk) ** 2;
        e3 += (a3 / sk) ** 2;
      }
      const den = e5 + 0.01 * e3;
      err = den > 0 ? (Math.abs(hs) * e5) / Math.sqrt(den * m) : 0;
      if (!Number.isFinite(err)) finite = false;
    }

    if (!finite) {
      rejected++;
      lastRejected = true;
      h *= 0.25;
      if (h < hmin) {
        const msg = check ? check(ytmp) ?? check(ynew) : null;
        return result(msg ? 'domain' : 'stalled', t, y, steps, rejected, msg ?? `non-finite derivative near t=${t}`);
      }
      continue;
    }

    const fac11 = err ** 0.125;
    if (err <= 1) {
      if (check) {
        const msg = check(ynew);
        if (msg !== null) {
          // overshoot, not a crossing, unless the step is at the floor (see crossingStepFloor)
          if (h >= crossingFloor) {
            rejected++;
            lastRejected = true;
            h = Math.max(h * 0.25, crossingFloor * 0.5);
            continue;
          }
          const seg = segmentOf(t, hs);
          const tc = locateDomainExit(seg, n, t, hs, check, evalSegment, ytmp);
          if (segments) segments.push(seg);
          return result('domain', tc, Float64Array.from(ytmp), steps + 1, rejected, check(ytmp) ?? msg);
        }
      }
      if (opts.event) {
        const ev = opts.event(t, y, last ? t1 : t + hs, ynew);
        if (ev) return result('domain', ev.t, Float64Array.from(ev.y), steps + 1, rejected, ev.message);
      }
      if (segments) segments.push(segmentOf(t, hs));
      steps++;
      t = last ? t1 : t + hs;
      const tmpY = y; y = ynew; ynew = tmpY;
      const tmpK = K[0]; K[0] = K[12]; K[12] = tmpK; // FSAL
      if (last) return result('ok', t1, y, steps, rejected);
      const fac = Math.max(1 / 6, Math.min(3, fac11 / 0.9)); // hnew = h / fac ∈ [h/3, 6h]
      let hnew = h / fac;
      if (lastRejected) hnew = Math.min(hnew, h);
      h = Math.min(hnew, hmax);
      lastRejected = false;
    } else {
      rejected++;
      lastRejected = true;
      h = h / Math.min(3, fac11 / 0.9);
      if (h < hmin) return result('stalled', t, y, steps, rejected, `step size underflow near t=${t}`);
    }
  }
  return result('max-steps', t, y, steps, rejected, `more than ${maxSteps} steps`);
}
