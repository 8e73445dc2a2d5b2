/**
 * Generic samplers for families that declare none, set up once per θ from the log-density alone.
 *
 * Continuous, one variable: numerical inversion of the CDF in the manner of UNU.RAN's PINV
 * (Derflinger, Hörmann & Leydold, "Random variate generation by numerical inversion when only the
 * density is known", ACM TOMACS 20(4), 2010). The support is cut into intervals (geometric towards
 * infinite ends and towards finite ends, so poles and heavy tails are resolved; declared breakpoints
 * are interval ends); on each interval the CDF increments at 6 Gauss–Lobatto nodes come from
 * 8-point Gauss–Legendre quadrature of the density, and x(u) is the Newton interpolating polynomial
 * through (u_k, x_k). An interval is split until (i) the quadrature agrees with the two-halves
 * rule to 1e-13 of the total mass and (ii) the u-error |F(x(u)) − u| at the midpoints between the
 * nodes is ≤ 1e-10 (F by quadrature): the largest measured u-error is kept in the table. Tails
 * beyond the cut points carry less than 1e-12 of the mass (estimated from the geometric decay of
 * the interval masses). Sampling: a guide table finds the interval, then Horner on the Newton form.
 *
 * Discrete (integer or finite supports): the cumulative pmf, searched by bisection; for an infinite
 * support (nonnegint) the table stops where 1 − F < 1e-14 and a draw beyond it continues the exact
 * sum term by term on demand (so the tail is not truncated).
 */
import type { Rng } from '../../core/random.js';

/** A serializable inversion table (see the module comment). */
export interface InversionTable {
  readonly kind: 'continuous';
  /** Cumulative u at the left end of each interval (length P + 1, last = 1). */
  readonly cum: number[];
  /** Per interval, 6 node offsets u_k − cum[j] (normalized). */
  readonly du: number[];
  /** Per interval, 6 Newton coefficients of x(u − cum[j]). */
  readonly coef: number[];
  readonly lo: number[];
  readonly hi: number[];
  /** guide[g] = first interval j with cum[j + 1] > g / G. */
  readonly guide: number[];
  /** Largest |F(x(u)) − u| measured at the test points of the setup. */
  readonly uError: number;
  /** Mass left out beyond the cut points (estimate). */
  readonly tailMass: number;
}

const GL_X = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
/** Gauss–Lobatto nodes on [−1, 1] with 6 points. */
const LOBATTO = [-1, -0.7650553239294647, -0.2852315164806451, 0.2852315164806451, 0.7650553239294647, 1];
const M = LOBATTO.length;
const U_TOL = 1e-10;

function gl(f: (x: number) => number, a: number, b: number): number {
  const h = 0.5 * (b - a);
  const m = 0.5 * (a + b);
  let s = 0;
  for (let i = 0; i < 8; i++) s += GL_W[i] * f(m + h * GL_X[i]);
  return s * h;
}

/** The support of one continuous variable as an interval. */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Builds the inversion table of the density exp(logpdf) on (lo, hi).
 * @throws Error when the density is nowhere positive and finite, or the accuracy cannot be reached.
 */
export function buildInversion(logpdf: (x: number) => number, support: Interval, breakpoints: readonly number[] = []): InversionTable {
  const { lo, hi } = support;
  // 1. A centre: the best of a coarse grid adapted to the support.
  const cand: number[] = [...breakpoints];
  if (Number.isFinite(lo) && Number.isFinite(hi)) for (let j = 1; j < 128; j++) cand.push(lo + ((hi - lo) * j) / 128);
  else if (Number.isFinite(lo)) for (let k = -40; k <= 40; k++) cand.push(lo + 2 ** k);
  else if (Number.isFinite(hi)) for (let k = -40; k <= 40; k++) cand.push(hi - 2 ** k);
  else {
    cand.push(0);
    for (let k = -40; k <= 40; k++) cand.push(2 ** k, -(2 ** k));
  }
  let c = NaN;
  let lmax = -Infinity;
  for (const x of cand) {
    if (!(x > lo && x < hi)) continue;
    const v = logpdf(x);
    if (Number.isFinite(v) && v > lmax) {
      lmax = v;
      c = x;
    }
  }
  if (!Number.isFinite(lmax)) throw new Error('the density is not positive and finite anywhere on a probe grid of the support');
  // refine the centre a little (golden-section-free: local doubling search)
  for (let h = Math.max(Math.abs(c), 1) * 0.25, it = 0; it < 60; it++, h *= 0.5) {
    for (const x of [c - h, c + h]) {
      if (!(x > lo && x < hi)) continue;
      const v = logpdf(x);
      if (Number.isFinite(v) && v > lmax) {
        lmax = v;
        c = x;
      }
    }
  }
  const f = (x: number) => {
    const v = Math.exp(logpdf(x) - lmax);
    return Number.isFinite(v) ? v : 0;
  };
  // scale: distance from c where the log-density has dropped by 2
  let s = 1;
  for (let k = -60; k <= 60; k++) {
    const h = 2 ** k;
    const r = c + h < hi ? logpdf(c + h) : -Infinity;
    const l = c - h > lo ? logpdf(c - h) : -Infinity;
    if (!(r > lmax - 2) || !(l > lmax - 2)) {
      s = h;
      break;
    }
  }
  // 2. Cut points marching outwards from c; stop when the estimated tail mass is negligible.
  const march = (dir: 1 | -1): { pts: number[]; tail: number; end?: number } => {
    const end = dir > 0 ? hi : lo;
    const pts: number[] = [];
    let prev = c;
    let mPrev = NaN;
    let total = 0;
    for (let k = 0; k < 2000; k++) {
      const x = Number.isFinite(end) ? end - (end - c) * 2 ** -(k + 1) : c + dir * s * (2 ** (k + 1) - 1);
      if (!Number.isFinite(x) || x === prev || (Number.isFinite(end) && x === end)) {
        // no representable progress towards the end: what is left is the unresolvable tail
        const r = Number.isFinite(mPrev) && mPrev > 0 && pts.length > 1 ? mPrev / Math.max(gl(f, pts[pts.length - 2] ?? c, pts[pts.length - 1]), 1e-300) : 1;
        return { pts, tail: mPrev > 0 ? (r < 1 ? (mPrev * r) / (1 - r) : Infinity) : 0, end: x };
      }
      const m = Math.abs(gl(f, prev, x) + 0);
      pts.push(x);
      total += m;
      if (k >= 3 && m <= 1e-14 * total) {
        const r = Number.isFinite(mPrev) && mPrev > 0 ? m / mPrev : 1;
        const tail = r < 1 ? (m * r) / (1 - r) : m * 100;
        if (tail <= 1e-13 * total || m === 0) return { pts, tail };
      }
      mPrev = m;
      prev = x;
    }
    return { pts, tail: NaN };
  };
  const right = march(1);
  const left = march(-1);
  {
    let mass = 0;
    const all = [...left.pts.slice().reverse(), c, ...right.pts];
    for (let i = 0; i + 1 < all.length; i++) mass += gl(f, all[i], all[i + 1]);
    for (const [side, m] of [['left', left], ['right', right]] as const) {
      const t = m.tail / mass;
      if (!(t <= 1e-10)) {
        const where = m.end !== undefined && Number.isFinite(m.end) ? ` next to the support end ${side === 'left' ? lo : hi}` : ` in the ${side} tail`;
        throw new Error(
          `the density keeps an estimated mass ${Number.isFinite(t) ? t.toExponential(2) : 'that does not decay'}${where} beyond the last point representable in double precision, ` +
            'so inversion cannot reach u-error 1e-10; declare a sampler ({transform} or {method, args})',
        );
      }
    }
  }
  const cuts = [...left.pts.reverse(), c, ...right.pts, ...breakpoints.filter((b) => b > lo && b < hi)].sort((a, b) => a - b);
  const xs = cuts.filter((x, i) => i === 0 || x > cuts[i - 1]);
  // 3. Masses of the initial intervals (for the normalisation used by the tolerances).
  let total = 0;
  for (let i = 0; i + 1 < xs.length; i++) total += gl(f, xs[i], xs[i + 1]);
  if (!(total > 0) || !Number.isFinite(total)) throw new Error('the density integrates to 0 or a non-finite value over the support');
  // 4. Adaptive intervals with interpolation.
  const pieces: { a: number; b: number; du: number[]; coef: number[]; mass: number }[] = [];
  let uError = 0;
  const build = (a: number, b: number, depth: number): void => {
    const mass = gl(f, a, b);
    if (!(mass > 1e-17 * total)) return; // (almost) no mass: never drawn, its u-error ≤ 1e-17
    const mid = 0.5 * (a + b);
    const split = gl(f, a, mid) + gl(f, mid, b);
    const nodes = LOBATTO.map((t) => mid + 0.5 * (b - a) * t);
    const du = [0];
    for (let k = 1; k < M; k++) du.push(du[k - 1] + gl(f, nodes[k - 1], nodes[k]));
    let ok = Math.abs(split - mass) <= 1e-13 * total && du.every((v, k) => k === 0 || v > du[k - 1]);
    let coef: number[] = [];
    let err = 0;
    if (ok) {
      // Newton divided differences of x over u
      coef = nodes.slice();
      for (let j = 1; j < M; j++) for (let k = M - 1; k >= j; k--) coef[k] = (coef[k] - coef[k - 1]) / (du[k] - du[k - j]);
      for (let k = 0; k + 1 < M && ok; k++) {
        const ut = 0.5 * (du[k] + du[k + 1]);
        const x = newton(coef, du, ut);
        if (!(x >= nodes[k] && x <= nodes[k + 1])) {
          ok = false;
          break;
        }
        const uTrue = du[k] + gl(f, nodes[k], x);
        err = Math.max(err, Math.abs(uTrue - ut) / total);
      }
      if (err > U_TOL) ok = false;
    }
    if (!ok && depth < 60 && mid > a && mid < b) {
      build(a, mid, depth + 1);
      build(mid, b, depth + 1);
      return;
    }
    if (!ok) throw new Error(`the inverse CDF cannot be interpolated to u-error 1e-10 near x = ${a}`);
    uError = Math.max(uError, err);
    pieces.push({ a, b, du, coef, mass: du[M - 1] });
  };
  for (let i = 0; i + 1 < xs.length; i++) build(xs[i], xs[i + 1], 0);
  let sum = 0;
  for (const p of pieces) sum += p.mass;
  const cum = [0];
  let acc = 0;
  const du: number[] = [];
  const coef: number[] = [];
  for (const p of pieces) {
    acc += p.mass;
    cum.push(acc / sum);
    for (let k = 0; k < M; k++) du.push(p.du[k] / sum);
    // x as a function of normalized u: divided differences scale by sum^j
    const c2 = p.coef.slice();
    for (let j = 1; j < M; j++) c2[j] *= sum ** j;
    coef.push(...c2);
  }
  cum[cum.length - 1] = 1;
  const G = pieces.length;
  const guide: number[] = [];
  let j = 0;
  for (let g = 0; g < G; g++) {
    while (j < G - 1 && cum[j + 1] <= g / G) j++;
    guide.push(j);
  }
  const tailMass = (left.tail + right.tail) / total;
  return { kind: 'continuous', cum, du, coef, lo: pieces.map((p) => p.a), hi: pieces.map((p) => p.b), guide, uError, tailMass };
}

function newton(coef: ArrayLike<number>, du: ArrayLike<number>, u: number, off = 0): number {
  let x = coef[off + M - 1];
  for (let k = M - 2; k >= 0; k--) x = coef[off + k] + (u - du[off + k]) * x;
  return x;
}

/** x = F⁻¹(u) from the table (u in [0, 1)). */
export function invert(t: InversionTable, u: number): number {
  const P = t.lo.length;
  let j = t.guide[Math.min(P - 1, Math.floor(u * P))];
  while (j < P - 1 && t.cum[j + 1] <= u) j++;
  const x = newton(t.coef, t.du, u - t.cum[j], j * M);
  return x < t.lo[j] ? t.lo[j] : x > t.hi[j] ? t.hi[j] : x;
}

/** Draws one variate by inversion. */
export function drawInversion(t: InversionTable, rng: Rng): number {
  return invert(t, rng.next());
}

// ------------------------------------------------------------------------------------------------
// Discrete

export interface DiscreteTable {
  readonly kind: 'discrete';
  readonly values: number[];
  /** cum[k] = P(X ≤ values[k]). */
  readonly cum: number[];
  /** For supports lo, lo + 1, … without end: the tail continues at values[last] + 1, … by the pmf on demand. */
  readonly infinite: boolean;
}

/**
 * The cumulative pmf of `logpmf` on `values` (finite) or on from, from + 1, … (infinite, `from`
 * default 0: the table stops where 1 − F < 1e-14 after the mode, or at 10⁶ terms).
 */
export function buildDiscrete(logpmf: (k: number) => number, values: readonly number[] | null, from = 0): DiscreteTable {
  const cum: number[] = [];
  const vals: number[] = [];
  let s = 0;
  let comp = 0;
  const add = (p: number) => {
    // Kahan summation
    const y = p - comp;
    const t = s + y;
    comp = t - s - y;
    s = t;
  };
  if (values) {
    for (const v of values) {
      const p = Math.exp(logpmf(v));
      add(Number.isFinite(p) ? p : 0);
      vals.push(v);
      cum.push(s);
    }
    if (!(s > 0)) throw new Error('the pmf is 0 on every support point');
    return { kind: 'discrete', values: vals, cum: cum.map((c) => c / s), infinite: false };
  }
  let past = 0;
  for (let k = from; k < from + 1_000_000; k++) {
    const p = Math.exp(logpmf(k));
    add(Number.isFinite(p) ? p : 0);
    vals.push(k);
    cum.push(s);
    if (s > 0.5 && 1 - s < 1e-14) break;
    if (s > 0 && !(p > 0) && ++past > 1000) break;
  }
  if (!(s > 0)) throw new Error('the pmf is 0 on the first 10⁶ support points');
  return { kind: 'discrete', values: vals, cum, infinite: true };
}

/** One draw: bisection in the table, the exact pmf sum continued beyond it (infinite supports). */
export function drawDiscrete(t: DiscreteTable, rng: Rng, logpmf: ((k: number) => number) | null): number {
  const u = rng.next();
  const cum = t.cum;
  const last = cum.length - 1;
  if (u < cum[last] || !t.infinite || !logpmf) {
    let a = 0;
    let b = last;
    while (a < b) {
      const m = (a + b) >> 1;
      if (cum[m] > u) b = m;
      else a = m + 1;
    }
    return t.values[a];
  }
  let s = cum[last];
  let k = t.values[last];
  for (let steps = 0; steps < 10_000_000; steps++) {
    k++;
    const p = Math.exp(logpmf(k));
    if (!(p > 0) && steps > 1000) break;
    s += p;
    if (s > u) break;
  }
  return k;
}
