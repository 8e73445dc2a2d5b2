/**
 * Adaptive quadrature and series summation for expectations over a family's support.
 *
 * Double-exponential (DE) rules: the integral is mapped to ∫_ℝ g(t) dt with double-exponential
 * decay of g and evaluated by the trapezoidal rule with step h = 1, 1/2, 1/4, … (each level reuses
 * the previous points). The tail of the t-range is cut at level 0 where terms become negligible
 * (|term| ≤ 1e-18 · Σ|term| on two consecutive nodes) or the node reaches the end of the range.
 *
 * Error control (every routine): the error of the newest level is estimated from the differences
 * between levels (d_m, and d_m²/d_{m−1} once they decrease steadily: DE and periodic-trapezoid errors
 * fall quadratically per halving), plus, for a range end that cannot be approached further in
 * floating point, the mass beyond the closest node. Converged when that estimate is
 * ≤ max(atol, rtol · L1), L1 being the same rule applied to |f| (so integrals that cancel to ~0
 * still converge). Defaults rtol = 1e-12, atol = 0.
 *
 * Never throws on numeric trouble: a non-finite integrand value at an interior node gives
 * value NaN and converged = false. If every sampled value is exactly 0 (typically a narrow peak the
 * nodes never hit; pass a center/scale hint) the result is 0 with converged = false.
 *
 * Vector form: {@link integrateOverVector} integrates m integrands that share one evaluation per
 * node (e.g. all entries p·∂_i l·∂_j l of a Fisher matrix); every scalar routine is its m = 1 case.
 */
import { UnsupportedError } from './errors.js';

export interface QuadResult {
  value: number;
  /** Estimated absolute error of `value`. */
  error: number;
  /** Number of integrand (or summand) evaluations. */
  evaluations: number;
  converged: boolean;
  /** Set when not converged (see {@link QuadFailure}). */
  failure?: QuadFailure;
}

/**
 * Why an integral (or sum) did not reach its tolerance, for messages that say where and why:
 *  - 'non-finite': the integrand is NaN or ±∞ at the interior point `at` (overflow, 0/0, a log of
 *    a negative number, or a singularity that is not integrable);
 *  - 'end-mass': at a finite end the integrand is singular and the mass beyond the closest node
 *    that double precision can place (`at`, at distance `distance` from the end) is estimated at
 *    `estimate` > `tolerance` (too strong an integrable singularity, or a non-integrable one);
 *  - 'tail': at an infinite end the integrand decays too slowly (algebraically, like |x|^(−β) with β
 *    near or below 1): the mass beyond the farthest representable node `at` is ~`estimate`;
 *  - 'unsettled': the finest refinement level still changes the result (a narrow peak, a kink
 *    without a breakpoint, or an oscillating integrand), last change ~`estimate`;
 *  - 'series': an infinite sum whose terms had not decayed (tail bound `estimate`) after `at` terms;
 *  - 'no-mass': every sampled value is exactly 0.
 * `component` is the index of the first failing component of a vector integral.
 */
export interface QuadFailure {
  reason: 'non-finite' | 'end-mass' | 'tail' | 'unsettled' | 'series' | 'no-mass';
  component: number;
  at: number;
  distance?: number;
  estimate?: number;
  tolerance?: number;
  /** 'non-finite': the offending value (NaN, Infinity or −Infinity). */
  value?: number;
}

/** Result of a vector integral: one value and error per component; converged = all components. */
export interface VectorQuadResult {
  values: Float64Array;
  errors: Float64Array;
  evaluations: number;
  converged: boolean;
  /** Set when not converged (see {@link QuadFailure}). */
  failure?: QuadFailure;
}

export interface QuadOptions {
  /** Relative tolerance w.r.t. ∫|f| (default 1e-12). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Maximum DE refinement level: the finest step is 2^−maxLevel (default 10). */
  maxLevels?: number;
  /** Minimum level before convergence may be declared (default 3, i.e. h ≤ 1/8). */
  minLevels?: number;
  /**
   * Accept an integral whose sampled values are all exactly 0 as converged (default false).
   * Used for the inner integrals of 2-D rules, where the outer rule decides where the mass is.
   */
  zeroIsConverged?: boolean;
}

type Fn1 = (x: number) => number;
/** Internal vector integrand: writes the m component values at x into out. */
type VFn = (x: number, out: Float64Array) => void;
/** Vector integrand of the finite-interval rule, also given the accurate distances to the ends. */
type VFnEnd = (x: number, out: Float64Array, toUpper: number, toLower: number) => void;

/**
 * Maps t to a node x, weight w and distance to the finite end of the range on t's side
 * (out[0], out[1], out[2]), and on a side whose end is infinite the distance from the rule's
 * origin, |x − a| or |x − center| (out[3], NaN on a finite side), and 1 in out[4] when out[2]
 * is the node's exact distance (not that of x rounded to a double; else 0); false once t is past
 * the representable range.
 */
type NodeMap = (t: number, out: Float64Array) => boolean;

/**
 * Error side channel for nested (2-D) integrals: the inner integrand stores its own error
 * estimates in `err` after each call; the outer rule integrates |err| with its weights.
 */
interface AuxError {
  err: Float64Array;
}

const TAIL_EPS = 1e-18;
/** integrateOver splits a unit/positive range at the center hint when scale < this × distance to the boundary. */
const PEAK_RATIO = 0.05;
const HALF_PI = Math.PI / 2;

function resolveOptions(opts: QuadOptions | undefined): Required<QuadOptions> {
  return {
    rtol: opts?.rtol ?? 1e-12,
    atol: opts?.atol ?? 0,
    maxLevels: opts?.maxLevels ?? 10,
    minLevels: opts?.minLevels ?? 3,
    zeroIsConverged: opts?.zeroIsConverged ?? false,
  };
}

function failedVec(m: number, evaluations: number, failure?: QuadFailure): VectorQuadResult {
  return { values: new Float64Array(m).fill(NaN), errors: new Float64Array(m).fill(NaN), evaluations, converged: false, failure };
}

function zeroVec(m: number): VectorQuadResult {
  return { values: new Float64Array(m), errors: new Float64Array(m), evaluations: 0, converged: true };
}

function negate(r: VectorQuadResult): VectorQuadResult {
  for (let c = 0; c < r.values.length; c++) r.values[c] = -r.values[c];
  return r;
}

function toScalar(r: VectorQuadResult): QuadResult {
  const q: QuadResult = { value: r.values[0], error: r.errors[0], evaluations: r.evaluations, converged: r.converged };
  if (r.failure) q.failure = r.failure;
  return q;
}

/** Scalar integrand as a 1-component vector integrand. */
function vec1(f: Fn1): VFn {
  return (x, out) => {
    out[0] = f(x);
  };
}

/**
 * Error estimate of the newest refinement from the differences between successive levels
 * (`diff` now; prev[2c], prev[2c+1] = the previous two for component c, updated in place). Once
 * the differences have decreased twice in a row the error is estimated as diff · (diff / previous),
 * otherwise it is the difference itself.
 */
function refinementEstimate(diff: number, prev: Float64Array, c: number): number {
  const d1 = prev[2 * c];
  const d2 = prev[2 * c + 1];
  prev[2 * c + 1] = d1;
  prev[2 * c] = diff;
  if (diff < d1 && d1 < d2 && d1 > 0) return diff * Math.min(1, diff / d1);
  return diff;
}

/** Local exponent α of f ≈ C·d^{−α} from two nodes (distances d0 < d1, values f0, f1 of one sign); NaN if none. */
function localExponent(d0: number, f0: number, d1: number, f1: number): number {
  if (!(d1 < Infinity && d1 > d0 && f0 * f1 > 0)) return NaN;
  return Math.log(f0 / f1) / Math.log(d1 / d0);
}

/** Largest local exponent treated as integrable (∫_0 d^{−α} needs α < 1). */
const MAX_END_EXPONENT = 0.995;

/**
 * ∫_0^{d0} f beyond the closest node of a finite end (distances d[0] < d[1] < d[2] of the three
 * closest nodes, signed values f[0..2]), modelling f ≈ C·d^{−α} (an integrable power or
 * logarithmic singularity, or a regular end: α ≤ 0): the correction d0·f0/(1 − α) with α from the
 * two closest nodes, and as its error the change when α is taken from the next pair instead
 * (0 for an exact power law; large when the nodes are not yet in the asymptotic regime), or
 * |d0·f0|/(1 − α) with only two nodes. α ≥ 0.995 (not integrable, or too close to tell) gives an
 * infinite error. Writes [correction, error] into out.
 */
function endCorrection(d: readonly number[], f: readonly number[], out: Float64Array): void {
  const d0 = d[0];
  const f0 = f[0];
  if (f0 === 0 || !(d0 < Infinity)) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  let a01 = localExponent(d0, f0, d[1], f[1]);
  if (a01 !== a01) a01 = 0;
  if (a01 >= MAX_END_EXPONENT) {
    out[0] = 0;
    out[1] = Infinity;
    return;
  }
  out[0] = (d0 * f0) / (1 - a01);
  const a12 = localExponent(d[1], f[1], d[2], f[2]);
  if (!(a12 === a12 && a12 < MAX_END_EXPONENT)) {
    out[1] = Math.abs(out[0]);
    return;
  }
  // The local exponent drifts (logarithmic factors: α_eff = α − k/ln(1/d)): continue its drift over
  // the remaining ln(1/d0) at the rate measured between the two pairs, and take the change of the
  // extrapolated mass as the error (0 for an exact power law).
  const span = 0.5 * Math.log(d[2] / d0);
  const aEnd = a01 + ((a01 - a12) * Math.log(1 / d0)) / span;
  out[1] = !(aEnd < MAX_END_EXPONENT) ? Infinity : Math.max(Math.abs(out[0] - (d0 * f0) / (1 - a12)), Math.abs(out[0] - (d0 * f0) / (1 - aEnd)));
}

/**
 * Mass of ∫_{D0}^∞ f beyond the farthest node of an infinite side (distance D0 from the origin,
 * |f| = f0; the next node inwards at D1 < D0 with |f| = f1), modelling f ≈ C·D^{−β}:
 * D0·f0/(β − 1), Infinity when β ≤ 1.02 (not integrable, or too slowly decaying to tell).
 */
function farMassEstimate(d0: number, f0: number, d1: number, f1: number): number {
  if (!(f0 > 0 && f1 > 0 && d1 > 0 && d1 < d0)) return 0; // nothing to extrapolate from
  const beta = Math.log(f1 / f0) / Math.log(d0 / d1);
  return beta > 1.02 ? (d0 * f0) / (beta - 1) : Infinity;
}

/**
 * Generic DE engine: trapezoidal sums of f(x(t)) w(t) on t ∈ ℝ with halving steps, for m
 * components sharing the nodes. When a side is cut because the nodes reach the end of the
 * representable range (or the integrand stops being finite there), the mass beyond the closest
 * node is extrapolated and added at a finite end (see endCorrection: it matters for a singular
 * integrand whose end cannot be approached), its uncertainty added to the error; at an infinite
 * end the estimated tail mass is added to the error.
 */
function deQuadrature(f: VFn, m: number, node: NodeMap, opts: Required<QuadOptions>, aux?: AuxError): VectorQuadResult {
  const nd = new Float64Array(5);
  const fv = new Float64Array(m);
  const sum = new Float64Array(m);
  const l1 = new Float64Array(m);
  const auxSum = new Float64Array(m);
  // Per side s and component c (index s*m + c): |f| at the closest and second-closest node to the end.
  // Per side: the three closest nodes to a finite end (distances ascending, signed values per component).
  const nearD = [
    [Infinity, Infinity, Infinity],
    [Infinity, Infinity, Infinity],
  ];
  const nearF = [0, 1].map(() => [0, 1, 2].map(() => new Float64Array(m)));
  const endDist = [Infinity, Infinity];
  const endX = [NaN, NaN];
  // Per side: every node tracked at a finite end had its exact distance (else no extrapolation).
  const exactEnd = [true, true];
  const corrBuf = new Float64Array(2);
  const dTmp = [0, 0, 0];
  const fTmp = [0, 0, 0];
  // Per side: the farthest two nodes of an infinite side (distance from the origin, |f| per component).
  const farF = new Float64Array(2 * m);
  const far2F = new Float64Array(2 * m);
  const farDist = [0, 0];
  const far2Dist = [0, 0];
  const farX = [NaN, NaN];
  const cutAtEnd = [false, false];
  // Per side: where a non-finite value cut the level-0 walk (reported if that side then fails).
  const blowup: ({ x: number; value: number; distance: number } | null)[] = [null, null];
  let evaluations = 0;
  let anyMass = false;
  let badComponent = 0;
  const nonFinite = (): VectorQuadResult => {
    const failure: QuadFailure = { reason: 'non-finite', component: badComponent, at: nd[0], value: fv[badComponent] * nd[1] };
    if (nd[2] < Infinity) failure.distance = nd[2];
    return failedVec(m, evaluations, failure);
  };

  /** Evaluate at the node in nd; false if some component is not finite. Accumulates into `into`. */
  const visit = (into: Float64Array, intoAbs: Float64Array): boolean => {
    f(nd[0], fv);
    evaluations++;
    const w = nd[1];
    for (let c = 0; c < m; c++)
      if (!Number.isFinite(fv[c] * w)) {
        badComponent = c;
        return false;
      }
    for (let c = 0; c < m; c++) {
      const term = fv[c] * w;
      into[c] += term;
      intoAbs[c] += Math.abs(term);
      if (term !== 0) anyMass = true;
    }
    if (aux) for (let c = 0; c < m; c++) auxSum[c] += Math.abs(aux.err[c]) * w;
    return true;
  };
  const track = (side: number) => {
    const d = nd[2];
    const o = side * m;
    const D = nd[3];
    if (D > farDist[side]) {
      far2Dist[side] = farDist[side];
      farDist[side] = D;
      farX[side] = nd[0];
      for (let c = 0; c < m; c++) {
        far2F[o + c] = farF[o + c];
        farF[o + c] = Math.abs(fv[c]);
      }
    } else if (D > far2Dist[side] && D < farDist[side]) {
      far2Dist[side] = D;
      for (let c = 0; c < m; c++) far2F[o + c] = Math.abs(fv[c]);
    }
    if (!(d < Infinity)) return;
    const nds = nearD[side];
    if (!(d < nds[2]) || d === nds[0] || d === nds[1]) return;
    const nfs = nearF[side];
    // Insert into the sorted triple (the array moved out at the end is reused).
    let pos = 2;
    while (pos > 0 && d < nds[pos - 1]) pos--;
    const spare = nfs[2];
    for (let i = 2; i > pos; i--) {
      nds[i] = nds[i - 1];
      nfs[i] = nfs[i - 1];
    }
    nds[pos] = d;
    spare.set(fv);
    nfs[pos] = spare;
    if (nd[4] !== 1) exactEnd[side] = false;
    if (pos === 0) {
      endDist[side] = d;
      endX[side] = nd[0];
    }
  };
  const usable = () => nd[1] !== 0 && nd[1] !== Infinity;

  nd[3] = NaN;
  if (!node(0, nd)) return failedVec(m, evaluations);
  if (!visit(sum, l1)) return nonFinite();
  // Level 0: h = 1, walk outwards on each side until the terms are negligible.
  const tmax = [0, 0];
  const before = new Float64Array(m);
  for (let side = 0; side < 2; side++) {
    const sgn = side === 0 ? 1 : -1;
    let small = 0;
    for (let k = 1; k < 64; k++) {
      if (!node(sgn * k, nd) || !usable()) {
        tmax[side] = k; // finer levels still try the nodes between k − 1 and k
        cutAtEnd[side] = small === 0;
        break;
      }
      before.set(sum);
      if (!visit(sum, l1)) {
        // Blow-up at the end of the range (e.g. an intermediate that underflows, then 0/0): cut
        // the side here; finer levels still try the nodes between k − 1 and k and skip failures.
        cutAtEnd[side] = true;
        tmax[side] = k;
        blowup[side] = { x: nd[0], value: fv[badComponent] * nd[1], distance: nd[2] };
        break;
      }
      tmax[side] = k;
      track(side);
      let negligible = anyMass;
      for (let c = 0; c < m && negligible; c++) {
        if (Math.abs(sum[c] - before[c]) > TAIL_EPS * l1[c]) negligible = false;
      }
      if (negligible) {
        if (++small >= 2) break;
      } else small = 0;
    }
  }

  let h = 1;
  const values = Float64Array.from(sum);
  const errors = new Float64Array(m).fill(Infinity);
  const diffs = new Float64Array(2 * m).fill(Infinity);
  const add = new Float64Array(m);
  const addAbs = new Float64Array(m);
  for (let level = 1; level <= opts.maxLevels; level++) {
    h *= 0.5;
    add.fill(0);
    addAbs.fill(0);
    // New nodes: odd multiples of h inside [−tmax[1], tmax[0]].
    for (let side = 0; side < 2; side++) {
      const sgn = side === 0 ? 1 : -1;
      const limit = tmax[side];
      for (let t = h; t < limit; t += 2 * h) {
        if (!node(sgn * t, nd) || !usable()) continue;
        if (!visit(add, addAbs)) {
          // In the outermost unit of t (the cut-off tail, e.g. 0·∞ far out) skip the node;
          // anywhere else a non-finite value is a genuine failure.
          if (t > limit - 1) continue;
          return nonFinite();
        }
        track(side);
      }
    }
    let allOk = level >= opts.minLevels && (anyMass || opts.zeroIsConverged);
    let allWithin = true;
    let failure: QuadFailure | undefined;
    let worst = 0;
    for (let c = 0; c < m; c++) {
      sum[c] += add[c];
      l1[c] += addAbs[c];
      const next = sum[c] * h;
      let endMass = 0;
      let endCorr = 0;
      let worstSide = -1;
      let worstSideMass = 0;
      for (let side = 0; side < 2; side++) {
        if (!cutAtEnd[side]) continue;
        let mass = 0;
        if (endDist[side] < Infinity) {
          // Finite end: the mass beyond the closest node is added (power-law extrapolation); its
          // uncertainty is the error.
          for (let i = 0; i < 3; i++) {
            dTmp[i] = nearD[side][i];
            fTmp[i] = nearF[side][i][c];
          }
          endCorrection(dTmp, fTmp, corrBuf);
          if (exactEnd[side]) {
            endCorr += corrBuf[0];
            mass = corrBuf[1];
          } else {
            // Nodes rounded onto doubles near the end: their weights belong to other points, so
            // nothing is extrapolated and the whole estimated mass beyond is error.
            mass = Math.max(Math.abs(corrBuf[0]), corrBuf[1]);
          }
        } else if (farDist[side] > 0) mass = farMassEstimate(farDist[side], farF[side * m + c], far2Dist[side], far2F[side * m + c]);
        endMass += mass;
        if (mass > worstSideMass) {
          worstSideMass = mass;
          worstSide = side;
        }
      }
      // Refinement error of the corrected value (the extrapolated end mass shrinks as nodes approach the end).
      const est = refinementEstimate(Math.abs(next + endCorr - values[c]), diffs, c);
      values[c] = next + endCorr;
      errors[c] = est + endMass + auxSum[c] * h;
      const tol = Math.max(opts.atol, opts.rtol * l1[c] * h);
      if (!(est <= tol)) allOk = false;
      if (!(est + endMass <= tol)) {
        allWithin = false;
        const ratio = (est + endMass) / tol;
        if (!failure || ratio > worst) {
          worst = ratio;
          if (worstSide >= 0 && !(endMass < est)) {
            const b = blowup[worstSide];
            failure = b
              ? { reason: 'non-finite', component: c, at: b.x, value: b.value, estimate: endMass, tolerance: tol }
              : endDist[worstSide] < Infinity
                ? { reason: 'end-mass', component: c, at: endX[worstSide], distance: endDist[worstSide], estimate: endMass, tolerance: tol }
                : { reason: 'tail', component: c, at: farX[worstSide], estimate: endMass, tolerance: tol };
            if (b && b.distance < Infinity) failure.distance = b.distance;
          } else failure = { reason: 'unsettled', component: c, at: NaN, estimate: est, tolerance: tol };
        }
      }
    }
    // Refinement has converged: mass beyond a representable end cannot be reduced further.
    if (allOk) return allWithin ? { values, errors, evaluations, converged: true } : { values, errors, evaluations, converged: false, failure };
    if (level === opts.maxLevels) {
      const fail = failure ?? (anyMass ? undefined : { reason: 'no-mass' as const, component: 0, at: NaN });
      return { values, errors, evaluations, converged: false, failure: fail };
    }
  }
  return { values, errors, evaluations, converged: false };
}

/** Integrand of the finite-interval rule: also receives the accurate distances b − x and x − a. */
export type EndpointIntegrand = (x: number, toUpper: number, toLower: number) => number;

export interface TanhSinhOptions extends QuadOptions {
  /**
   * true: the integrand computes its endpoint-singular factors from the distance arguments
   * (e.g. log(1 − x) as log(toUpper)), so nodes closer to an end than the spacing of doubles at
   * that end are still used. Default false: such nodes are skipped (f never sees x = a or x = b).
   */
  distances?: boolean;
}

function tanhSinhVec(f: VFnEnd, m: number, a: number, b: number, opts: TanhSinhOptions | undefined, aux?: AuxError): VectorQuadResult {
  if (a === b) return zeroVec(m);
  if (!(Number.isFinite(a) && Number.isFinite(b))) return failedVec(m, 0);
  if (a > b) return negate(tanhSinhVec(f, m, b, a, opts, aux));
  const half = 0.5 * (b - a);
  const width = b - a;
  const useDistances = opts?.distances === true;
  let toUpper = 0;
  let toLower = 0;
  const node: NodeMap = (t, out) => {
    const u = HALF_PI * Math.sinh(t);
    const e = Math.exp(-2 * Math.abs(u));
    const d = (half * 2 * e) / (1 + e); // distance to the nearer endpoint
    if (!(d > 0)) return false;
    const x = t >= 0 ? b - d : a + d;
    if (!useDistances && (x <= a || x >= b)) return false;
    toUpper = t >= 0 ? d : width - d;
    toLower = t >= 0 ? width - d : d;
    out[0] = x;
    out[1] = (half * HALF_PI * Math.cosh(t) * 4 * e) / ((1 + e) * (1 + e));
    out[2] = useDistances ? d : t >= 0 ? b - x : x - a; // the distance f actually sees
    out[3] = NaN;
    out[4] = useDistances || out[2] === d ? 1 : 0;
    return true;
  };
  return deQuadrature((x, out) => f(x, out, toUpper, toLower), m, node, resolveOptions(opts), aux);
}

/**
 * ∫_a^b f(x) dx on a finite interval by tanh-sinh. Integrable endpoint singularities are fine;
 * f is called as f(x, b − x, x − a) with both distances accurate (see
 * {@link TanhSinhOptions.distances}). a > b gives the negated integral.
 */
export function tanhSinh(f: EndpointIntegrand, a: number, b: number, opts?: TanhSinhOptions): QuadResult {
  return toScalar(
    tanhSinhVec(
      (x, out, up, lo) => {
        out[0] = f(x, up, lo);
      },
      1,
      a,
      b,
      opts,
    ),
  );
}

/** Options for the half-line and line rules: the characteristic length of the integrand. */
export interface ScaleOptions extends QuadOptions {
  /** Typical length scale (exp-sinh: x − a at the central node; default 1). */
  scale?: number;
}

function expSinhVec(f: VFn, m: number, a: number, dir: 1 | -1, opts: ScaleOptions | undefined, aux?: AuxError): VectorQuadResult {
  const s = opts?.scale ?? 1;
  if (!Number.isFinite(a) || !(s > 0 && s < Infinity)) return failedVec(m, 0);
  const node: NodeMap = (t, out) => {
    const d = s * Math.exp(HALF_PI * Math.sinh(t));
    const x = a + dir * d;
    if (x === a || !Number.isFinite(x)) return false;
    out[0] = x;
    out[1] = d * HALF_PI * Math.cosh(t);
    out[2] = t < 0 ? Math.abs(x - a) : Infinity;
    out[3] = t > 0 ? d : NaN;
    out[4] = out[2] === d ? 1 : 0;
    return true;
  };
  return deQuadrature(f, m, node, resolveOptions(opts), aux);
}

/** ∫_a^∞ f(x) dx by exp-sinh: x = a + s·exp(π/2·sinh t). `scale` s ≈ where the mass is (default 1). */
export function expSinh(f: Fn1, a: number, opts?: ScaleOptions): QuadResult {
  return toScalar(expSinhVec(vec1(f), 1, a, 1, opts));
}

/** ∫_−∞^a f(x) dx by the mirrored exp-sinh rule x = a − s·exp(π/2·sinh t). */
export function expSinhLeft(f: Fn1, a: number, opts?: ScaleOptions): QuadResult {
  return toScalar(expSinhVec(vec1(f), 1, a, -1, opts));
}

function sinhSinhVec(f: VFn, m: number, center: number, scale: number, opts: QuadOptions | undefined, aux?: AuxError): VectorQuadResult {
  if (!Number.isFinite(center) || !(scale > 0 && scale < Infinity)) return failedVec(m, 0);
  const node: NodeMap = (t, out) => {
    const u = HALF_PI * Math.sinh(t);
    const x = center + scale * Math.sinh(u);
    if (!Number.isFinite(x)) return false;
    out[0] = x;
    out[1] = scale * HALF_PI * Math.cosh(t) * Math.cosh(u);
    out[2] = Infinity;
    out[3] = Math.abs(x - center);
    return true;
  };
  return deQuadrature(f, m, node, resolveOptions(opts), aux);
}

/**
 * ∫_ℝ f(x) dx by sinh-sinh: x = center + scale·sinh(π/2·sinh t). For a location–scale family pass
 * center = location, scale = scale parameter: that puts the nodes where the mass is.
 */
export function sinhSinh(f: Fn1, center = 0, scale = 1, opts?: QuadOptions): QuadResult {
  return toScalar(sinhSinhVec(vec1(f), 1, center, scale, opts));
}

/** ∫_a^b f dx for any a, b in [−∞, ∞], choosing the rule from which ends are infinite. */
export function integrate(f: Fn1, a: number, b: number, opts?: ScaleOptions & { center?: number }): QuadResult {
  if (a === b) return { value: 0, error: 0, evaluations: 0, converged: true };
  if (a > b) {
    const r = integrate(f, b, a, opts);
    r.value = -r.value;
    return r;
  }
  if (a === -Infinity && b === Infinity) return sinhSinh(f, opts?.center ?? 0, opts?.scale ?? 1, opts);
  if (b === Infinity) return expSinh(f, a, opts);
  if (a === -Infinity) return expSinhLeft(f, b, opts);
  return tanhSinh(f, a, b, opts);
}

export interface PeriodicOptions {
  rtol?: number;
  atol?: number;
  /** See {@link QuadOptions.zeroIsConverged}. */
  zeroIsConverged?: boolean;
  /** Largest number of points (default 2^16). */
  maxPoints?: number;
}

function periodicVec(f: VFn, m: number, a: number, b: number, opts: PeriodicOptions | undefined, aux?: AuxError): VectorQuadResult {
  const rtol = opts?.rtol ?? 1e-12;
  const atol = opts?.atol ?? 0;
  const maxPoints = opts?.maxPoints ?? 65536;
  const zeroOk = opts?.zeroIsConverged ?? false;
  const width = b - a;
  if (!Number.isFinite(width)) return failedVec(m, 0);
  const fv = new Float64Array(m);
  const sum = new Float64Array(m);
  const abs = new Float64Array(m);
  const auxSum = new Float64Array(m);
  let anyMass = false;
  let finite = true;
  const visit = (x: number) => {
    f(x, fv);
    for (let c = 0; c < m; c++) {
      const v = fv[c];
      if (!Number.isFinite(v)) finite = false;
      sum[c] += v;
      abs[c] += Math.abs(v);
      if (v !== 0) anyMass = true;
      if (aux) auxSum[c] += Math.abs(aux.err[c]);
    }
  };
  let n = 8;
  for (let k = 0; k < n; k++) visit(a + (k * width) / n);
  let evaluations = n;
  if (!finite) return failedVec(m, evaluations);
  const values = new Float64Array(m);
  for (let c = 0; c < m; c++) values[c] = (sum[c] * width) / n;
  const errors = new Float64Array(m).fill(Infinity);
  const diffs = new Float64Array(2 * m).fill(Infinity);
  while (2 * n <= maxPoints) {
    for (let k = 0; k < n; k++) visit(a + ((2 * k + 1) * width) / (2 * n));
    evaluations += n;
    if (!finite) return failedVec(m, evaluations);
    n *= 2;
    let allOk = n >= 32 && (anyMass || zeroOk);
    for (let c = 0; c < m; c++) {
      const next = (sum[c] * width) / n;
      const est = refinementEstimate(Math.abs(next - values[c]), diffs, c);
      values[c] = next;
      errors[c] = est + (auxSum[c] * Math.abs(width)) / n;
      if (!(est <= Math.max(atol, (rtol * abs[c] * Math.abs(width)) / n))) allOk = false;
    }
    if (allOk) return { values, errors, evaluations, converged: true };
  }
  return { values, errors, evaluations, converged: false };
}

/**
 * ∫_a^b f for a smooth (b − a)-periodic f by the trapezoidal rule (geometric convergence),
 * doubling the number of points from 8 until two successive sums agree (at least 32 points).
 */
export function periodicTrapezoid(f: Fn1, a: number, b: number, opts?: PeriodicOptions): QuadResult {
  return toScalar(periodicVec(vec1(f), 1, a, b, opts));
}

export interface SeriesOptions {
  rtol?: number;
  atol?: number;
  /** Hard cap on the number of terms (default 1e6). */
  maxTerms?: number;
  /** Step: +1 sums start, start+1, …; −1 sums start, start−1, … (default +1). */
  step?: 1 | -1;
  /** Stop with 0, converged, after 1000 leading terms that are all exactly 0 (inner sums of 2-D rules). */
  zeroIsConverged?: boolean;
}

function seriesVec(f: VFn, m: number, start: number, opts: SeriesOptions | undefined, aux?: AuxError): VectorQuadResult {
  const rtol = opts?.rtol ?? 1e-12;
  const atol = opts?.atol ?? 0;
  const maxTerms = opts?.maxTerms ?? 1_000_000;
  const step = opts?.step ?? 1;
  const fv = new Float64Array(m);
  const sum = new Float64Array(m);
  const comp = new Float64Array(m);
  const abs = new Float64Array(m);
  const auxSum = new Float64Array(m);
  const prev = new Float64Array(m).fill(NaN);
  const prevRatio = new Float64Array(m).fill(Infinity);
  const tail = new Float64Array(m).fill(Infinity);
  let anyMass = false;
  let ok = 0;
  let k = start;
  const result = (evaluations: number, converged: boolean): VectorQuadResult => {
    const values = new Float64Array(m);
    const errors = new Float64Array(m);
    for (let c = 0; c < m; c++) {
      values[c] = sum[c] + comp[c];
      errors[c] = tail[c] + auxSum[c];
    }
    return { values, errors, evaluations, converged };
  };
  for (let n = 0; n < maxTerms; n++, k += step) {
    f(k, fv);
    let small = true;
    for (let c = 0; c < m; c++) {
      const t = fv[c];
      if (!Number.isFinite(t)) return failedVec(m, n + 1, { reason: 'non-finite', component: c, at: k, value: t });
      if (aux) auxSum[c] += Math.abs(aux.err[c]);
      // Neumaier-compensated summation
      const s = sum[c] + t;
      comp[c] += Math.abs(sum[c]) >= Math.abs(t) ? sum[c] - s + t : t - s + sum[c];
      sum[c] = s;
      const a = Math.abs(t);
      abs[c] += a;
      if (a !== 0) anyMass = true;
      if (abs[c] === 0) {
        tail[c] = 0; // nothing yet in this component; decided by the others
      } else if (a <= prev[c]) {
        // Ratio bound: if the term ratios r_j = |t_{j+1}/t_j| never increase from here on, the tail
        // is at most |t_k|·Σ_{i≥1} r^i = |t_k|·r/(1 − r) with r = |t_k/t_{k−1}|. While the ratios
        // still increase towards their limit (e.g. negative binomial with r < 1) that limit is
        // bounded by extrapolating the last change over as many terms again, r* = r + n·Δr
        // (≥ the limit when the ratio approaches it like 1/n or faster).
        const r = prev[c] > 0 ? a / prev[c] : 0;
        const rb = r <= prevRatio[c] ? r : r + (n + 1) * (r - prevRatio[c]);
        tail[c] = rb < 1 ? (a * rb) / (1 - rb) : Infinity;
        prevRatio[c] = r;
        if (!(tail[c] <= 0.01 * Math.max(atol, rtol * abs[c]))) small = false;
      } else {
        prevRatio[c] = prev[c] > 0 ? a / prev[c] : Infinity;
        tail[c] = Infinity;
        small = false;
      }
      prev[c] = a;
    }
    if (!anyMass) {
      if (n >= 999 && opts?.zeroIsConverged) return result(n + 1, true);
      continue;
    }
    if (small) {
      if (++ok >= 2) return result(n + 1, true);
    } else ok = 0;
  }
  const r = result(maxTerms, false);
  let worst = 0;
  for (let c = 1; c < m; c++) if (!(tail[c] <= tail[worst])) worst = c;
  r.failure = { reason: 'series', component: worst, at: maxTerms, estimate: tail[worst], tolerance: Math.max(atol, rtol * abs[worst]) };
  return r;
}

/**
 * Σ_{k ≥ start} f(k) over integers (Neumaier-compensated). Stops once the terms decrease and the
 * ratio-test tail bound |t_k|·r/(1 − r), r = |t_k/t_{k−1}|, is below 0.01·max(atol, rtol·Σ|t|) on
 * two consecutive terms (terms are cheap, so the sum aims below the tolerance); `error` is that
 * tail bound. The bound is rigorous once the term ratios are non-increasing (every pmf of the
 * Poisson / COM-Poisson kind, times polynomial or logarithmic features, eventually); while the
 * ratios still increase, r is replaced by r + n·Δr (a bound for ratios that approach their limit
 * like 1/n, e.g. negative binomial with r < 1). Hitting `maxTerms` gives converged = false and a
 * 'series' failure. Leading zero terms (e.g. an underflowing pmf far left of its mode) never stop
 * the sum.
 */
export function sumSeries(f: Fn1, start: number, opts?: SeriesOptions): QuadResult {
  return toScalar(seriesVec(vec1(f), 1, start, opts));
}

/** Σ over a finite list of points (exact up to rounding; Neumaier-compensated). */
function finiteVec(f: VFn, m: number, points: Iterable<number>, aux?: AuxError): VectorQuadResult {
  const fv = new Float64Array(m);
  const sum = new Float64Array(m);
  const comp = new Float64Array(m);
  const errors = new Float64Array(m);
  let n = 0;
  for (const x of points) {
    f(x, fv);
    n++;
    for (let c = 0; c < m; c++) {
      const t = fv[c];
      if (aux) errors[c] += Math.abs(aux.err[c]);
      const s = sum[c] + t;
      comp[c] += Math.abs(sum[c]) >= Math.abs(t) ? sum[c] - s + t : t - s + sum[c];
      sum[c] = s;
    }
  }
  const values = new Float64Array(m);
  let converged = true;
  for (let c = 0; c < m; c++) {
    values[c] = sum[c] + comp[c];
    if (!Number.isFinite(values[c])) converged = false;
  }
  return { values, errors, evaluations: n, converged };
}

function* range(lo: number, hi: number): Generator<number> {
  for (let k = lo; k <= hi; k++) yield k;
}

/** Support of the data variable(s); mirrors SupportSpec in src/declare/types.ts. */
export type QuadSupport =
  | { readonly kind: 'real' | 'positive' | 'unit' | 'circle' | 'nonnegint' | 'simplex' }
  | { readonly kind: 'integers'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'finite'; readonly values: readonly number[] };

export interface IntegrateOptions extends QuadOptions {
  /** Number of data variables: 1 (default) or 2 (product support; simplex is always 2-D). */
  dim?: 1 | 2;
  /** Points where f is not smooth (1-D only): the range is split there. */
  breakpoints?: readonly number[];
  /** Where the mass is (location parameter), per coordinate for dim 2. */
  center?: number | readonly number[];
  /** Its spread (scale parameter), per coordinate for dim 2. */
  scale?: number | readonly number[];
  /**
   * Unit support (1-D) and simplex: the integrand computes its factors singular at the far edge
   * from the accurate complement argument (1 − x, resp. 1 − x1 − x2; see {@link Integrand}), so
   * nodes closer to that edge than the spacing of doubles are used (full accuracy for e.g.
   * Beta(a, b < 1), Dirichlet with a_3 < 1). See {@link TanhSinhOptions.distances}.
   */
  complement?: boolean;
}

/**
 * Integrand over one or two data variables (x, y), plus a complement computed without
 * cancellation: 1-D unit support f(x, 1 − x, NaN); simplex f(x1, x2, 1 − x1 − x2); otherwise
 * f(x, NaN, NaN) in 1-D and f(x1, x2, NaN) in 2-D.
 */
export type Integrand = (x: number, y: number, z: number) => number;

/** Vector integrand: writes its m component values at (x, y) into out (y, z as in {@link Integrand}). */
export type VectorIntegrand = (out: Float64Array, x: number, y: number, z: number) => void;

/** 1-D vector integrand of over1: xc is the accurate 1 − x on the unit support, NaN elsewhere. */
type F1 = (out: Float64Array, x: number, xc: number) => void;

function coord(v: number | readonly number[] | undefined, i: number): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : v[i];
}

function combine(m: number, parts: VectorQuadResult[]): VectorQuadResult {
  const values = new Float64Array(m);
  const errors = new Float64Array(m);
  let evaluations = 0;
  let converged = true;
  for (const p of parts) {
    for (let c = 0; c < m; c++) {
      values[c] += p.values[c];
      errors[c] += p.errors[c];
    }
    evaluations += p.evaluations;
    converged &&= p.converged;
  }
  const failed = parts.find((p) => p.failure);
  return failed ? { values, errors, evaluations, converged, failure: failed.failure } : { values, errors, evaluations, converged };
}

/** Breakpoints strictly inside (lo, hi), sorted and de-duplicated. */
function cuts(bps: readonly number[] | undefined, lo: number, hi: number): number[] {
  if (!bps) return [];
  return [...new Set(bps.filter((b) => Number.isFinite(b) && b > lo && b < hi))].sort((p, q) => p - q);
}

/** Reduce an angle into [−π, π). */
function wrapAngle(x: number): number {
  return x - 2 * Math.PI * Math.floor((x + Math.PI) / (2 * Math.PI));
}

/** 1-D integral or sum over one coordinate's support. */
function over1(
  kind: QuadSupport,
  f: F1,
  m: number,
  opts: IntegrateOptions,
  center: number | undefined,
  scale: number | undefined,
  breakpoints: readonly number[] | undefined,
  aux?: AuxError,
): VectorQuadResult {
  const s = scale !== undefined && scale > 0 && scale < Infinity ? scale : 1;
  const sopts = { ...opts, scale: s };
  const g: VFn = (x, out) => f(out, x, NaN);
  // A peak much narrower than its distance to the boundary: split there, so the nodes of both
  // pieces cluster at the peak (tanh-sinh/exp-sinh resolve their ends double-exponentially).
  const peaked = (lo: number, hi: number) =>
    center !== undefined &&
    scale !== undefined &&
    center > lo &&
    center < hi &&
    scale > 0 &&
    scale < PEAK_RATIO * Math.min(center - lo, hi - center);
  if ((kind.kind === 'positive' && peaked(0, Infinity)) || (kind.kind === 'unit' && peaked(0, 1))) {
    breakpoints = [...(breakpoints ?? []), center as number];
  }
  switch (kind.kind) {
    case 'real': {
      const c = cuts(breakpoints, -Infinity, Infinity);
      const mid = center !== undefined && Number.isFinite(center) ? center : 0;
      if (c.length === 0) return sinhSinhVec(g, m, mid, s, opts, aux);
      const parts = [expSinhVec(g, m, c[0], -1, sopts, aux)];
      for (let i = 0; i + 1 < c.length; i++) parts.push(tanhSinhVec(g, m, c[i], c[i + 1], opts, aux));
      parts.push(expSinhVec(g, m, c[c.length - 1], 1, sopts, aux));
      return combine(m, parts);
    }
    case 'positive': {
      const c = cuts(breakpoints, 0, Infinity);
      if (c.length === 0) {
        const typical = center !== undefined && center > 0 && center < Infinity ? center : s;
        return expSinhVec(g, m, 0, 1, { ...opts, scale: typical }, aux);
      }
      const parts = [tanhSinhVec(g, m, 0, c[0], opts, aux)];
      for (let i = 0; i + 1 < c.length; i++) parts.push(tanhSinhVec(g, m, c[i], c[i + 1], opts, aux));
      parts.push(expSinhVec(g, m, c[c.length - 1], 1, sopts, aux));
      return combine(m, parts);
    }
    case 'unit':
    case 'simplex': {
      const pts = [0, ...cuts(breakpoints, 0, 1), 1];
      const last = pts.length - 2;
      const topts = { ...opts, distances: opts.complement === true };
      return combine(
        m,
        pts.slice(1).map((b, i) =>
          i === last
            ? tanhSinhVec((x, out, toUpper) => f(out, x, toUpper), m, pts[i], b, topts, aux)
            : tanhSinhVec((x, out) => f(out, x, 1 - x), m, pts[i], b, opts, aux),
        ),
      );
    }
    case 'circle': {
      const c = cuts((breakpoints ?? []).filter(Number.isFinite).map(wrapAngle), -Math.PI, Math.PI);
      if (c.length === 0) {
        const popts = { rtol: opts.rtol, atol: opts.atol, zeroIsConverged: opts.zeroIsConverged, maxPoints: 4096 };
        const r = periodicVec(g, m, -Math.PI, Math.PI, popts, aux);
        if (r.converged) return r;
        // Not periodic after all, or a peak too narrow for 4096 points: tanh-sinh, split at the
        // center hint when there is one.
        const mid = center !== undefined && Number.isFinite(center) ? wrapAngle(center) : NaN;
        const t =
          mid > -Math.PI && mid < Math.PI
            ? combine(m, [tanhSinhVec(g, m, -Math.PI, mid, opts, aux), tanhSinhVec(g, m, mid, Math.PI, opts, aux)])
            : tanhSinhVec(g, m, -Math.PI, Math.PI, opts, aux);
        t.evaluations += r.evaluations;
        return t;
      }
      const pts = [-Math.PI, ...c, Math.PI];
      return combine(m, pts.slice(1).map((b, i) => tanhSinhVec(g, m, pts[i], b, opts, aux)));
    }
    case 'nonnegint':
      return seriesVec(g, m, 0, opts, aux);
    case 'integers': {
      const { lo, hi } = kind;
      const down = { ...opts, step: -1 as const };
      if (Number.isFinite(lo) && Number.isFinite(hi)) {
        if (hi - lo > 1e7) return combine(m, [seriesVec(g, m, lo, opts, aux), seriesVec(g, m, hi, down, aux)]);
        return finiteVec(g, m, range(lo, hi), aux);
      }
      if (Number.isFinite(lo)) return seriesVec(g, m, lo, opts, aux);
      if (Number.isFinite(hi)) return seriesVec(g, m, hi, down, aux);
      const mid = Math.round(center !== undefined && Number.isFinite(center) ? center : 0);
      return combine(m, [seriesVec(g, m, mid, opts, aux), seriesVec(g, m, mid - 1, down, aux)]);
    }
    case 'finite':
      return finiteVec(g, m, kind.values, aux);
  }
}

/**
 * m integrals (or sums) over a family's support sharing one integrand evaluation per node:
 * f(out, x, y, z) writes the m component values (y, z as in {@link Integrand}). Rules as in
 * {@link integrateOver}; each component is controlled against its own ∫|f_c|, and converged means
 * every component converged.
 *
 * @throws UnsupportedError for dim other than 1 or 2 (a configuration error, not numeric trouble).
 */
export function integrateOverVector(support: QuadSupport, f: VectorIntegrand, m: number, opts: IntegrateOptions = {}): VectorQuadResult {
  const dim = opts.dim ?? (support.kind === 'simplex' ? 2 : 1);
  if (dim === 1) {
    const unit = support.kind === 'unit' || support.kind === 'simplex';
    const f1: F1 = unit ? (out, x, xc) => f(out, x, xc, NaN) : (out, x) => f(out, x, NaN, NaN);
    return over1(support, f1, m, opts, coord(opts.center, 0), coord(opts.scale, 0), opts.breakpoints);
  }
  if (dim !== 2) throw new UnsupportedError(`integrateOver: ${dim} data variables are not supported (1 or 2)`);
  let evaluations = 0;
  let converged = true;
  const aux: AuxError = { err: new Float64Array(m) };
  // Inner integrals only need to be accurate relative to the size of the outer integrand: once
  // inner values have been seen, their absolute tolerance is 1% of rtol times the smallest
  // component's largest inner value so far (tail nodes of the outer rule then converge quickly).
  const rtol = opts.rtol ?? 1e-12;
  const innerOpts: IntegrateOptions = { ...opts, zeroIsConverged: true };
  const maxAbs = new Float64Array(m);
  const record = (r: VectorQuadResult, out: Float64Array) => {
    evaluations += r.evaluations;
    converged &&= r.converged;
    aux.err.set(r.errors);
    out.set(r.values);
    let scale = Infinity;
    for (let c = 0; c < m; c++) {
      const a = Math.abs(r.values[c]);
      if (a > maxAbs[c]) maxAbs[c] = a;
      if (maxAbs[c] < scale) scale = maxAbs[c];
    }
    if (Number.isFinite(scale)) innerOpts.atol = Math.max(opts.atol ?? 0, 0.01 * rtol * scale);
  };
  if (support.kind === 'simplex') {
    // ∫_0^1 ∫_0^{1−x1} f dx2 dx1; with `complement` the inner width is the outer node's accurate
    // distance to 1; z = 1 − x1 − x2 is the inner node's accurate distance to its upper end.
    const distances = opts.complement === true;
    const outer = tanhSinhVec(
      (x1, out, toOne) => {
        const g: VFnEnd = (x2, o, z) => f(o, x1, x2, z);
        // Without distances f works from x1, x2 alone: keep the inner range consistent with 1 − x1.
        record(tanhSinhVec(g, m, 0, distances ? toOne : 1 - x1, { ...innerOpts, distances }), out);
      },
      m,
      0,
      1,
      { ...opts, distances },
      aux,
    );
    return { values: outer.values, errors: outer.errors, evaluations, converged: converged && outer.converged };
  }
  const outer = over1(
    support,
    (out, x1) => record(over1(support, (o, x2) => f(o, x1, x2, NaN), m, innerOpts, coord(opts.center, 1), coord(opts.scale, 1), undefined), out),
    m,
    opts,
    coord(opts.center, 0),
    coord(opts.scale, 0),
    undefined,
    aux,
  );
  return { values: outer.values, errors: outer.errors, evaluations, converged: converged && outer.converged };
}

/**
 * ∫ f dx (or Σ f for discrete supports) over a family's support.
 *
 *  real → sinh-sinh (center/scale hint), or exp-sinh tails + tanh-sinh pieces when split at
 *  breakpoints; positive → exp-sinh (scale = center hint, else scale hint, else 1), tanh-sinh +
 *  exp-sinh when split; unit → tanh-sinh (pieces); circle [−π, π) → periodic trapezoid
 *  (tanh-sinh pieces when there are breakpoints, or if the integrand turns out not to be
 *  periodic or too peaked); nonnegint → {@link sumSeries}; integers lo..hi → direct sum when
 *  finite (series when a bound is infinite); finite → sum over the values. A center/scale hint
 *  with scale < 0.05 × the distance from the center to the boundary splits unit/positive ranges at
 *  the center (narrow peaks).
 *  dim 2: simplex {x1, x2 > 0, x1 + x2 < 1} as ∫_0^1 ∫_0^{1−x1} f(x1, x2, 1−x1−x2) dx2 dx1; any other kind is
 *  the product of that kind with itself (real² for the bivariate normal), integrated as nested
 *  1-D rules with the per-coordinate center/scale hints; breakpoints are ignored in 2-D. The
 *  reported error adds the outer rule's estimate and the integral of the inner estimates.
 *
 * @throws UnsupportedError for dim other than 1 or 2 (a configuration error, not numeric trouble).
 */
export function integrateOver(support: QuadSupport, f: Integrand, opts: IntegrateOptions = {}): QuadResult {
  return toScalar(
    integrateOverVector(
      support,
      (out, x, y, z) => {
        out[0] = f(x, y, z);
      },
      1,
      opts,
    ),
  );
}
