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
import { integrateEmbedded } from './ode.js';
import type { EmbeddedPair, OdeOptions, OdeResult, OdeRhs } from './ode.js';

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
  return integrateEmbedded(dop853Pair, f, t0, y0, t1, opts);
}

/** The DOP853 pair: 12 stages a step (the 12th is FSAL), 3 more for dense output, h_new ∈ [h/3, 6h]. */
function dop853Pair(f: OdeRhs, n: number, atol: Float64Array, rtol: number, m: number): EmbeddedPair<Segment853> {
  // 16 stage slopes (12 + FSAL + 3 dense-output stages)
  const K: Float64Array[] = Array.from({ length: 16 }, () => new Float64Array(n));
  const stage = (s: number, t: number, hs: number, y: Float64Array, ytmp: Float64Array) => {
    const row = ROWS[s];
    const js = row.j, as = row.a, L = js.length;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let q = 0; q < L; q++) acc += as[q] * K[js[q]][i];
      ytmp[i] = y[i] + hs * acc;
    }
    f(t + C[s] * hs, ytmp, K[s]);
  };
  return {
    order: 8, exponent: 0.125, beta: 0, facLow: 1 / 6, facHigh: 3,
    slope0: () => K[0],
    scratch: () => K[1],
    attempt(t, hs, tph, y, ynew, ytmp) {
      for (let s = 1; s < S; s++) stage(s, t, hs, y, ytmp);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let s = 0; s < S; s++) acc += B[s] * K[s][i];
        ynew[i] = y[i] + hs * acc;
      }
      f(tph, ynew, K[12]);
      for (let i = 0; i < n; i++) if (!Number.isFinite(ynew[i]) || !Number.isFinite(K[12][i])) return NaN;
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
      return den > 0 ? (Math.abs(hs) * e5) / Math.sqrt(den * m) : 0;
    },
    segment(t, hs, y, ynew, ytmp) {
      // three extra stages for the dense output
      for (let s = 13; s < 16; s++) stage(s, t, hs, y, ytmp);
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
    },
    evalSegment,
    accept() {
      const tmp = K[0]; K[0] = K[12]; K[12] = tmp;
    },
  };
}
