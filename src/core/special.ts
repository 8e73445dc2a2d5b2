/**
 * Numeric implementations of every function in ./functions.ts (the whitelist), for the
 * interpreter (./evaluate.ts) and for generated closures (compile stage).
 *
 * Conventions: every function takes and returns plain doubles and never throws; outside its
 * domain (or at a pole) it returns NaN, on overflow ±Infinity.
 *
 * Own implementations (no third-party code):
 *  - psi2, psi3: ψ₂, ψ₃ by upward recurrence to x ≥ {@link PSI_SWITCH} and the asymptotic
 *    (Bernoulli) series; reflection formula for negative non-integer x.
 *  - polygamma(n, ·), 4 ≤ n ≤ {@link PSI_MAX_OWN_ORDER}, x > 0: the same method, generic in n.
 *  - i0e, i1e: exponentially scaled modified Bessel functions e^{−|x|}I₀(x), e^{−|x|}I₁(x) by the
 *    all-positive power series for |x| ≤ {@link BESSEL_SWITCH} and the Hankel asymptotic series above;
 *    besseli0/1, logbesseli0 and besselratio are built on the same series.
 * From @stdlib: gammaln (lgamma), digamma, trigamma, and polygamma for n > 12 or x < 0 with n ≥ 4;
 * erf, erfc, erfcx (under normcdf, lognormcdf, normratio) and betaln (lbeta).
 * Measured accuracy (test/core/special.test.ts, mpmath references): ≤ 1e-15 relative for ψ₂, ψ₃,
 * i0e, i1e; ≤ 2e-15 for the rest.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import digammaStdlib from '@stdlib/math-base-special-digamma';
import trigammaStdlib from '@stdlib/math-base-special-trigamma';
import polygammaStdlib from '@stdlib/math-base-special-polygamma';
import erfStdlib from '@stdlib/math-base-special-erf';
import erfcStdlib from '@stdlib/math-base-special-erfc';
import erfcxStdlib from '@stdlib/math-base-special-erfcx';
import betalnStdlib from '@stdlib/math-base-special-betaln';

/** Recurrence target of psi2/psi3: the asymptotic series is used for x ≥ this value. */
export const PSI_SWITCH = 10;

/** |x| above which i0e/i1e use the asymptotic expansion instead of the power series. */
export const BESSEL_SWITCH = 22;

/** sin(πx) with exact argument reduction (exact zeros at integers). */
export function sinpi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const y = x - 2 * Math.round(x / 2); // exact, in [−1, 1]
  if (y === 0 || y === 1 || y === -1) return 0 * Math.sign(x);
  if (y > 0.5) return Math.sin(Math.PI * (1 - y));
  if (y < -0.5) return -Math.sin(Math.PI * (1 + y));
  return Math.sin(Math.PI * y);
}

/** cos(πx) with exact argument reduction (exact zeros at half-integers). */
export function cospi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const y = Math.abs(x - 2 * Math.round(x / 2)); // in [0, 1]
  if (y === 0.5) return 0;
  if (y > 0.5) return -Math.sin(Math.PI * (y - 0.5));
  return Math.sin(Math.PI * (0.5 - y));
}

const PI3x2 = 2 * Math.PI * Math.PI * Math.PI;
const PI4x2 = 2 * Math.PI * Math.PI * Math.PI * Math.PI;

/** ψ₂(x) for x > 0 (no domain checks). */
function psi2Positive(x: number): number {
  let acc = 0;
  while (x < PSI_SWITCH) {
    acc -= 2 / (x * x * x);
    x += 1;
  }
  const z = 1 / x;
  const y = z * z;
  // ψ₂(x) ~ −[1/x² + 1/x³ + Σ_k B_{2k}(2k+1)/x^{2k+2}]
  const p =
    0.5 +
    y *
      (-1 / 6 +
        y *
          (1 / 6 +
            y *
              (-3 / 10 +
                y * (5 / 6 + y * (-691 / 210 + y * (35 / 2 + y * (-3617 / 30 + y * (43867 / 42 + y * (-1222277 / 2310)))))))));
  return acc - y * (1 + z + y * p);
}

/** ψ₃(x) for x > 0 (no domain checks). */
function psi3Positive(x: number): number {
  let acc = 0;
  while (x < PSI_SWITCH) {
    const x2 = x * x;
    acc += 6 / (x2 * x2);
    x += 1;
  }
  const z = 1 / x;
  const y = z * z;
  // ψ₃(x) ~ 2/x³ + 3/x⁴ + Σ_k B_{2k}(2k+1)(2k+2)/x^{2k+3}
  const p =
    2 +
    y *
      (-1 +
        y *
          (4 / 3 +
            y *
              (-3 +
                y * (10 + y * (-691 / 15 + y * (280 + y * (-2170.2 + y * (438670 / 21 + y * -244455.4))))))));
  return acc + y * z * (2 + 3 * z + y * p);
}

/**
 * ψ₂(x) = d³/dx³ log Γ(x). Relative error ≲ 1e-15 for x > 0 (see test/core/special.test.ts);
 * negative non-integer x by reflection ψ₂(x) = ψ₂(1−x) − 2π³ cos(πx)/sin³(πx) (accuracy there is
 * limited by cancellation near the zeros of ψ₂); NaN at the poles x ∈ {0, −1, −2, …}.
 */
export function psi2(x: number): number {
  if (x > 0) return x === Infinity ? 0 : psi2Positive(x);
  if (!(x > -Infinity) || x === Math.floor(x)) return NaN;
  const s = sinpi(x);
  return psi2Positive(1 - x) - (PI3x2 * cospi(x)) / (s * s * s);
}

/**
 * ψ₃(x). Same method and accuracy as {@link psi2}; reflection
 * ψ₃(x) = 2π⁴(2cos²(πx) + 1)/sin⁴(πx) − ψ₃(1−x).
 */
export function psi3(x: number): number {
  if (x > 0) return x === Infinity ? 0 : psi3Positive(x);
  if (!(x > -Infinity) || x === Math.floor(x)) return NaN;
  const s = sinpi(x);
  const c = cospi(x);
  const s2 = s * s;
  return (PI4x2 * (2 * c * c + 1)) / (s2 * s2) - psi3Positive(1 - x);
}

/** Bernoulli numbers B_2, B_4, …, B_40 (exact rationals rounded to double). */
const BERNOULLI_EVEN = [
  1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330,
  854513 / 138, -236364091 / 2730, 8553103 / 6, -23749461029 / 870, 8615841276005 / 14322,
  -7709321041217 / 510, 2577687858367 / 6, -26315271553053477373 / 1919190, 2929993913841559 / 6,
  -261082718496449122051 / 13530,
];

/** Largest order with the own recurrence + asymptotic implementation (higher orders: @stdlib). */
export const PSI_MAX_OWN_ORDER = 12;

interface PsiPlan {
  readonly switchAt: number;
  /** (n−1)!, n!/2 and c_k = B_2k (2k+1)(2k+2)…(2k+n−1), k = 1..K. */
  readonly lead: number;
  readonly half: number;
  readonly nFact: number;
  readonly coef: Float64Array;
}

const psiPlans: (PsiPlan | null)[] = new Array<PsiPlan | null>(PSI_MAX_OWN_ORDER + 1).fill(null);

/** Switch point and series length for order n: smallest X ≥ 10 where ≤ 20 terms reach 1e-17. */
function psiPlan(n: number): PsiPlan {
  const cached = psiPlans[n];
  if (cached) return cached;
  let lead = 1;
  for (let j = 2; j < n; j++) lead *= j; // (n−1)!
  const nFact = lead * n;
  const all = BERNOULLI_EVEN.map((b, i) => {
    let c = b;
    for (let j = 1; j < n; j++) c *= 2 * (i + 1) + j;
    return c;
  });
  for (let X = 10; ; X++) {
    for (let K = 1; K <= all.length; K++) {
      if (Math.abs(all[K - 1]) / X ** (2 * K) < 1e-17 * lead) {
        const plan = { switchAt: X, lead, half: nFact / 2, nFact, coef: Float64Array.from(all.slice(0, K - 1)) };
        psiPlans[n] = plan;
        return plan;
      }
    }
  }
}

/** ψ_n(x) for 1 ≤ n ≤ PSI_MAX_OWN_ORDER and x > 0: (−1)^{n+1} n! Σ_j (x+j)^{−n−1} via recurrence + asymptotic series. */
function psiNPositive(n: number, x: number): number {
  const plan = psiPlan(n);
  let acc = 0;
  const nFact = plan.nFact;
  while (x < plan.switchAt) {
    let q = x;
    for (let j = 0; j < n; j++) q *= x; // x^{n+1}
    acc += nFact / q;
    x += 1;
  }
  const z = 1 / x;
  const y = z * z;
  const c = plan.coef;
  let p = 0;
  for (let k = c.length - 1; k >= 0; k--) p = c[k] + y * p;
  const s = acc + Math.pow(z, n) * (plan.lead + plan.half * z + y * p);
  return n % 2 === 1 ? s : -s;
}

/**
 * ψ_n(x) for a non-negative integer n: n = 0 digamma, 1 trigamma (@stdlib), 2 and 3 own fast
 * versions, 4 ≤ n ≤ PSI_MAX_OWN_ORDER own recurrence + asymptotic series for x > 0, everything else
 * (negative x for n ≥ 4, n > PSI_MAX_OWN_ORDER) @stdlib polygamma. NaN for a non-integer or
 * negative n and at the poles.
 */
export function polygamma(n: number, x: number): number {
  switch (n) {
    case 0:
      return digammaStdlib(x);
    case 1:
      return trigammaStdlib(x);
    case 2:
      return psi2(x);
    case 3:
      return psi3(x);
    default:
      if (!(n >= 4) || n !== Math.floor(n) || n > 1e4) return NaN;
      if (x <= 0 && x === Math.floor(x)) return NaN;
      if (x > 0 && n <= PSI_MAX_OWN_ORDER) return x === Infinity ? 0 : psiNPositive(n, x);
      return polygammaStdlib(n, x);
  }
}

/** Σ_{k≥0} (x²/4)^k / (k! (k+ν)!) for ν ∈ {0, 1}; all terms positive. */
function besselSeries(q: number, nu: 0 | 1): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * (k + nu));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** Hankel series Σ_k (−1)^k a_k(ν)/x^k for I_ν, x ≥ BESSEL_SWITCH. */
function besselAsymptotic(x: number, nu: 0 | 1): number {
  const mu = 4 * nu * nu;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    const m = 2 * k - 1;
    term *= (m * m - mu) / (8 * k * x);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/** e^{−|x|} I₀(x) (even; in (0, 1]; ~1/√(2π|x|) for large |x|). Relative error ≤ 1e-15. */
export function i0e(x: number): number {
  const a = Math.abs(x);
  if (a <= BESSEL_SWITCH) return besselSeries(0.25 * a * a, 0) * Math.exp(-a);
  if (a === Infinity) return 0;
  if (!(a > 0)) return NaN;
  return besselAsymptotic(a, 0) / Math.sqrt(2 * Math.PI * a);
}

/** e^{−|x|} I₁(x) (odd). Relative error ≤ 1e-15. */
export function i1e(x: number): number {
  const a = Math.abs(x);
  let v: number;
  if (a <= BESSEL_SWITCH) v = 0.5 * a * besselSeries(0.25 * a * a, 1) * Math.exp(-a);
  else if (a === Infinity) v = 0;
  else if (!(a > 0)) return NaN;
  else v = besselAsymptotic(a, 1) / Math.sqrt(2 * Math.PI * a);
  return x < 0 ? -v : v;
}

/** I₀(x); +Infinity once it overflows (|x| ≳ 713). */
export function besseli0(x: number): number {
  const a = Math.abs(x);
  if (a <= BESSEL_SWITCH) return besselSeries(0.25 * a * a, 0);
  const h = Math.exp(0.5 * a);
  return i0e(a) * h * h;
}

/** I₁(x) (odd); ±Infinity once it overflows. */
export function besseli1(x: number): number {
  const a = Math.abs(x);
  let v: number;
  if (a <= BESSEL_SWITCH) v = 0.5 * a * besselSeries(0.25 * a * a, 1);
  else {
    const h = Math.exp(0.5 * a);
    v = i1e(a) * h * h;
  }
  return x < 0 ? -v : v;
}

/** log I₀(x), finite for all finite x, accurate near 0 (≈ x²/4). */
export function logbesseli0(x: number): number {
  const a = Math.abs(x);
  if (a <= BESSEL_SWITCH) return Math.log1p(besselSeriesMinusOne(0.25 * a * a));
  if (a !== a) return NaN;
  return Math.log(i0e(a)) + a;
}

/** Σ_{k≥1} (x²/4)^k/(k!)² = I₀(x) − 1 without cancellation. */
function besselSeriesMinusOne(q: number): number {
  let term = q;
  let sum = q;
  for (let k = 2; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** A(x) = I₁(x)/I₀(x) (odd; ≈ x/2 near 0, → 1 − 1/(2x) for large x). */
export function besselratio(x: number): number {
  const a = Math.abs(x);
  let v: number;
  if (a <= BESSEL_SWITCH) v = (0.5 * a * besselSeries(0.25 * a * a, 1)) / besselSeries(0.25 * a * a, 0);
  else if (a === Infinity) v = 1;
  else if (!(a > 0)) return NaN;
  else v = besselAsymptotic(a, 1) / besselAsymptotic(a, 0);
  return x < 0 ? -v : v;
}

// ---- Bessel-ratio derivatives A^(n)(k), A = I₁/I₀, without cancellation (issue 10) ----------------

/** k ≥ this: asymptotic series of A in 1/k (≤ 5e-16 relative for n ≤ 4, exponentially small terms e^{−2k} dropped). */
export const BESSELRATIO_ASYMPTOTIC = 25;

/**
 * Coefficients of A(k) ~ Σ_n a_n k^{−n} (a_0 = 1, a_1 = −1/2, a_2 = −1/8, …), from the Riccati equation
 * A′ = 1 − A/k − A²: a_n = ((n−2) a_{n−1} − Σ_{i=1}^{n−1} a_i a_{n−i}) / 2. All a_n (n ≥ 1) are negative.
 */
const RATIO_ASY: Float64Array = (() => {
  const a = new Float64Array(64);
  a[0] = 1;
  for (let n = 1; n < a.length; n++) {
    let s = (n - 2) * a[n - 1];
    for (let i = 1; i < n; i++) s -= a[i] * a[n - i];
    a[n] = s / 2;
  }
  return a;
})();

/**
 * Taylor coefficients of A(k) = Σ_j c_j k^j at 0 (odd: c_1 = 1/2, c_3 = −1/16, …; radius 2.405, the first
 * zero of J₀), from the Riccati equation: (j+2) c_{j+1} = δ_{j0} − Σ_{i=0}^{j} c_i c_{j−i}.
 */
const RATIO_TAYLOR: Float64Array = (() => {
  const c = new Float64Array(90);
  for (let j = 0; j + 1 < c.length; j++) {
    let s = j === 0 ? 1 : 0;
    for (let i = 0; i <= j; i++) s -= c[i] * c[j - i];
    c[j + 1] = s / (j + 2);
  }
  return c;
})();

/** n-th derivative of Σ_j c_j k^j for 0 < k ≤ 1 (all derivative orders converge like (k/2.405)^j). */
function ratioTaylorDeriv(n: number, k: number): number {
  const c = RATIO_TAYLOR;
  let sum = 0;
  let pw = 1; // k^{j−n}
  for (let j = n; j < c.length; j++) {
    if (c[j] !== 0) {
      let f = c[j];
      for (let i = 0; i < n; i++) f *= j - i;
      const t = f * pw;
      sum += t;
      if (j > n + 8 && Math.abs(t) < 1e-18 * Math.abs(sum)) break;
    }
    pw *= k;
  }
  return sum;
}

/** n-th derivative of the asymptotic series Σ a_m k^{−m}, k ≥ BESSELRATIO_ASYMPTOTIC (n ≥ 1: all terms one sign). */
function ratioAsymptoticDeriv(n: number, k: number): number {
  const a = RATIO_ASY;
  const z = 1 / k;
  let sum = n === 0 ? 1 : 0;
  let prev = Infinity;
  let pw = Math.pow(z, n); // k^{−m−n}, starting at m = 0
  for (let m = 1; m < a.length; m++) {
    pw *= z;
    let f = a[m];
    for (let i = 0; i < n; i++) f *= -(m + i); // d^n/dk^n k^{−m} = (−1)^n m(m+1)…(m+n−1) k^{−m−n}
    const t = f * pw;
    if (Math.abs(t) > prev) break; // asymptotic series: stop at the smallest term
    sum += t;
    prev = Math.abs(t);
    if (prev <= 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * A′(k) = 1 − A/k − A² for 0 < k ≤ BESSELRATIO_ASYMPTOTIC as a ratio of all-positive series,
 * A′ = T/(2 I₀²) with I₀² = Σ (2n)!/(n!)⁴ (k/2)^{2n} and the Turán-type T = I₀² + I₀I₂ − 2I₁² =
 * Σ (2n)!/((n!)⁴ (n+1)²) (k/2)^{2n} (product formula of I_μ I_ν; coefficients combine to 1/(n+1)²).
 */
function ratioPrimeSeries(k: number): number {
  const q = 0.25 * k * k;
  let term = 1; // (2n)!/(n!)^4 q^n
  let i0sq = 1;
  let t = 1;
  for (let n = 1; n < 400; n++) {
    term *= (q * (2 * n) * (2 * n - 1)) / (n * n * n * n);
    i0sq += term;
    t += term / ((n + 1) * (n + 1));
    if (term < 1e-18 * t) break;
  }
  return t / (2 * i0sq);
}

/** Largest derivative order {@link besselratioderiv} supports (NaN above). */
export const BESSELRATIO_MAX_ORDER = 8;

/**
 * A^{(n)}(k), the n-th derivative of the Bessel ratio A = I₁/I₀ (n = 0 is A itself), accurate to a few
 * ulps·n² for every k: Taylor series at 0 for |k| ≤ 1, asymptotic series in 1/k for |k| ≥
 * {@link BESSELRATIO_ASYMPTOTIC}, in between A exactly, A′ from the positive-series ratio
 * {@link ratioPrimeSeries} and higher orders from the differentiated Riccati equation
 * A^{(m+1)} = −Σ_j C(m,j)[A^{(j)} (1/k)^{(m−j)} + A^{(j)} A^{(m−j)}] (loses at most a factor ≈ k^{m−1} < 25^{m−1}).
 * Parity: A is odd, so A^{(n)}(−k) = (−1)^{n+1} A^{(n)}(k). NaN for a non-integer n, n < 0 or
 * n > {@link BESSELRATIO_MAX_ORDER}; A^{(n)}(0) from the Taylor coefficients.
 */
export function besselratioderiv(n: number, x: number): number {
  if (!(n >= 0) || n !== Math.floor(n) || n > BESSELRATIO_MAX_ORDER || x !== x) return NaN;
  if (n === 0) return besselratio(x);
  const k = Math.abs(x);
  const sign = x < 0 && n % 2 === 0 ? -1 : 1;
  let v: number;
  if (k === Infinity) v = 0;
  else if (k === 0) {
    let f = RATIO_TAYLOR[n];
    for (let i = 2; i <= n; i++) f *= i;
    v = f;
  } else if (k <= 1) v = ratioTaylorDeriv(n, k);
  else if (k >= BESSELRATIO_ASYMPTOTIC) v = ratioAsymptoticDeriv(n, k);
  else {
    const a = [besselratio(k), ratioPrimeSeries(k)];
    const r = [1 / k];
    for (let j = 1; j < n; j++) r.push((-j * r[j - 1]) / k); // (1/k)^{(j)} = (−1)^j j!/k^{j+1}
    for (let m = 1; m < n; m++) {
      let s = 0;
      let binom = 1;
      for (let j = 0; j <= m; j++) {
        s -= binom * a[j] * (r[m - j] + a[m - j]);
        binom = (binom * (m - j)) / (j + 1);
      }
      a.push(s);
    }
    v = a[n];
  }
  return sign * v;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * [e^x K₀(x), e^x K₁(x)] for x > 0: x ≤ 2 by the ascending series (A&S 9.6.13, 9.6.11),
 * x > 2 by Steed's method for Temme's continued fraction CF2 (as in Numerical Recipes' bessik, ν = 0).
 */
function besselkScaled(x: number): [number, number] {
  if (x <= 2) {
    const q = 0.25 * x * x;
    const L = Math.log(0.5 * x);
    let t0 = 1; // q^k/(k!)²
    let t1 = 1; // q^k/(k!(k+1)!)
    let H = 0; // harmonic number H_k
    let i0 = 1;
    let s0 = 0;
    let i1 = 1;
    let s1 = 1 - 2 * EULER_GAMMA; // ψ(1) + ψ(2) = −2γ + 1
    for (let k = 1; k < 100; k++) {
      t0 *= q / (k * k);
      t1 *= q / (k * (k + 1));
      H += 1 / k;
      i0 += t0;
      s0 += t0 * H;
      i1 += t1;
      s1 += t1 * (2 * H + 1 / (k + 1) - 2 * EULER_GAMMA);
      if (t0 < 1e-17 * i0 && t1 < 1e-17 * i1) break;
    }
    const k0 = -(L + EULER_GAMMA) * i0 + s0;
    const k1 = 1 / x + L * 0.5 * x * i1 - 0.25 * x * s1;
    const ex = Math.exp(x);
    return [k0 * ex, k1 * ex];
  }
  let b = 2 * (1 + x);
  let d = 1 / b;
  let h = d;
  let delh = d;
  let q1 = 0;
  let q2 = 1;
  const a1 = 0.25;
  let q = a1;
  let c = a1;
  let a = -a1;
  let s = 1 + q * delh;
  for (let i = 1; i < 10000; i++) {
    a -= 2 * i;
    c = (-a * c) / (i + 1);
    const qnew = (q1 - b * q2) / a;
    q1 = q2;
    q2 = qnew;
    q += c * qnew;
    b += 2;
    d = 1 / (b + a * d);
    delh = (b * d - 1) * delh;
    h += delh;
    const dels = q * delh;
    s += dels;
    if (Math.abs(dels / s) < 1e-17) break;
  }
  h *= a1;
  const k0e = Math.sqrt(Math.PI / (2 * x)) / s;
  return [k0e, (k0e * (x + 0.5 - h)) / x];
}

/** K₀(x), x > 0 (+Infinity at 0, NaN for x < 0; underflows to 0 past x ≈ 705). */
export function besselk0(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return 0;
  return besselkScaled(x)[0] * Math.exp(-x);
}

/** K₁(x), x > 0. */
export function besselk1(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return 0;
  return besselkScaled(x)[1] * Math.exp(-x);
}

/** log K₀(x), finite for all finite x > 0 (no underflow). */
export function logbesselk0(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return -Infinity;
  return Math.log(besselkScaled(x)[0]) - x;
}

/** log K₁(x), finite for all finite x > 0. */
export function logbesselk1(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return -Infinity;
  return Math.log(besselkScaled(x)[1]) - x;
}

/** K₀(x)/K₁(x) (≈ −x log x near 0, → 1 − 1/(2x) for large x). */
export function besselkratio(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  const [k0, k1] = besselkScaled(x);
  return k0 / k1;
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * e^{−x²/2} without the rounding error of x² (which a plain exp(−x*x/2) amplifies by x²): x is split
 * into 26-bit halves (Dekker) so that x² = hi + lo with hi exact.
 */
function expNegHalfSquare(x: number): number {
  if (!(Math.abs(x) < 1e100)) return Math.exp(-0.5 * x * x); // 0 (or NaN for NaN)
  const c = 134217729 * x; // 2^27 + 1
  const xh = c - (c - x);
  const xl = x - xh;
  const hi = xh * xh;
  const lo = xl * (2 * xh + xl);
  return Math.exp(-0.5 * hi) * Math.exp(-0.5 * lo);
}

/**
 * Φ(x), the standard normal CDF. x < −1: ½ erfcx(−x/√2)·e^{−x²/2} (erfcx = e^{t²} erfc t is well
 * conditioned, and the exponential is formed from an exact x²), full relative accuracy in the left
 * tail; otherwise ½ erfc(−x/√2).
 */
export function normcdf(x: number): number {
  if (x < -1) return x === -Infinity ? 0 : 0.5 * erfcxStdlib(-x * SQRT1_2) * expNegHalfSquare(x);
  return 0.5 * erfcStdlib(-x * SQRT1_2);
}

/**
 * log Φ(x). x < 0: log(½ erfcx(−x/√2)) − x²/2 (erfcx = e^{t²} erfc t), finite down to x ≈ −1e154;
 * x ≥ 0: log1p(−½ erfc(x/√2)), accurate where Φ ≈ 1.
 */
export function lognormcdf(x: number): number {
  if (x < 0) {
    if (x === -Infinity) return -Infinity;
    return Math.log(0.5 * erfcxStdlib(-x * SQRT1_2)) - 0.5 * x * x;
  }
  return Math.log1p(-normcdf(-x));
}

/**
 * φ(x)/Φ(x) = d/dx log Φ(x) (the inverse Mills ratio at −x). x < 0: √(2/π)/erfcx(−x/√2), no
 * underflow (≈ −x for x → −∞); x ≥ 0: φ(x)/Φ(x) directly (→ 0).
 */
export function normratio(x: number): number {
  if (x < 0) {
    if (x === -Infinity) return Infinity;
    return SQRT_2_OVER_PI / erfcxStdlib(-x * SQRT1_2);
  }
  return (INV_SQRT_2PI * expNegHalfSquare(x)) / normcdf(x);
}

/** The sign function of functions.ts: −1, 0 or 1 (NaN for NaN). */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
}

/** Numeric implementation of each whitelisted function, keyed exactly like FUNCTIONS. */
export const SPECIAL: Readonly<Record<string, (...args: number[]) => number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, (...args: number[]) => number>, {
    log: Math.log,
    exp: Math.exp,
    sqrt: Math.sqrt,
    abs: Math.abs,
    sign,
    sin: Math.sin,
    cos: Math.cos,
    tan: Math.tan,
    log1p: Math.log1p,
    expm1: Math.expm1,
    lgamma: (x: number) => gammaln(x),
    digamma: (x: number) => digammaStdlib(x),
    trigamma: (x: number) => trigammaStdlib(x),
    polygamma,
    logbesseli0,
    besselratio,
    besseli0,
    besseli1,
    besselratioderiv,
    erf: (x: number) => erfStdlib(x),
    erfc: (x: number) => erfcStdlib(x),
    normcdf,
    lognormcdf,
    normratio,
    lbeta: (a: number, b: number) => betalnStdlib(a, b),
    besselk0,
    besselk1,
    logbesselk0,
    logbesselk1,
    besselkratio,
  }),
);
