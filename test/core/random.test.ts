import { beforeAll, describe, expect, it } from 'vitest';
import cephesModule from 'cephes';
import { SAMPLERS, checkSamplerArgs, createRng, sampleMany, wrapAngle } from '../../src/core/random.js';
import { SAMPLER_ARITY } from '../../src/core/samplerNames.js';
import { integrate } from '../../src/core/quadrature.js';
import { SPECIAL } from '../../src/core/special.js';

type Fn = (...a: number[]) => number;
const cephes = cephesModule as unknown as { compiled: Promise<void> } & Record<string, Fn>;
beforeAll(async () => {
  await cephes.compiled;
});

const lgamma = SPECIAL.lgamma;

function draw(name: string, args: number[], n: number, seed = 12345): Float64Array {
  return sampleMany(name, createRng(seed, 7), args, n) as Float64Array;
}

/** Sample mean/variance with standard errors (variance SE from the sample fourth moment). */
function moments(xs: ArrayLike<number>) {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= n;
  m4 /= n;
  return { mean: m, variance: (m2 * n) / (n - 1), seMean: Math.sqrt(m2 / n), seVar: Math.sqrt(Math.max(m4 - m2 * m2, 0) / n) };
}

/** |sample − truth| ≤ 5 Monte Carlo standard errors (fixed seeds: deterministic). */
function expectMoments(xs: ArrayLike<number>, mean: number, variance: number) {
  const s = moments(xs);
  expect(Math.abs(s.mean - mean)).toBeLessThanOrEqual(5 * s.seMean);
  expect(Math.abs(s.variance - variance)).toBeLessThanOrEqual(5 * s.seVar + 1e-12);
}

/** √N · sup|F_N − F| (Kolmogorov–Smirnov); 1.95 is the 0.1% critical value. */
function ksStatistic(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d * Math.sqrt(n);
}

/** Pearson chi-square of integer draws against a pmf, pooling the tail into the last cell. */
function chiSquare(xs: ArrayLike<number>, pmf: (k: number) => number, kmax: number): { stat: number; df: number } {
  const n = xs.length;
  const counts = new Float64Array(kmax + 2);
  for (let i = 0; i < n; i++) counts[Math.min(xs[i], kmax + 1)]++;
  let stat = 0;
  let rest = 1;
  let cells = 0;
  for (let k = 0; k <= kmax; k++) {
    const p = pmf(k);
    rest -= p;
    stat += (counts[k] - n * p) ** 2 / (n * p);
    cells++;
  }
  if (rest * n > 1) {
    stat += (counts[kmax + 1] - n * rest) ** 2 / (n * rest);
    cells++;
  }
  return { stat, df: cells - 1 };
}

/** Upper 0.1% point of χ²_df via cephes (oracle). */
const chiCrit = (df: number) => cephes.chdtri(df, 0.001);

describe('createRng', () => {
  it('gives the same numbers for the same (seed, stream) and different ones otherwise', () => {
    const a = createRng(2026, 3);
    const b = createRng(2026, 3);
    const c = createRng(2026, 4);
    const d = createRng(2027, 3);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xs);
    expect(Array.from({ length: 20 }, () => d.next())).not.toEqual(xs);
  });

  it('agrees with a plain BigInt implementation of SplitMix64 seeding + xoshiro128** (checks the 32-bit imul/rotate arithmetic)', () => {
    const rng = createRng(1, 0);
    const got = Array.from({ length: 1000 }, () => rng.nextUint32());
    expect(got).toEqual(referenceXoshiro128(1n, 0n, 1000));
    const r2 = createRng(123456789, 987654);
    expect(Array.from({ length: 50 }, () => r2.nextUint32())).toEqual(referenceXoshiro128(123456789n, 987654n, 50));
  });

  it('seeds (createRng and reseed) from safe integers without BigInt to exactly the state of the BigInt reference (edge and random values)', () => {
    const edges = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52 + 12345, Number.MAX_SAFE_INTEGER];
    const pairs: [number, number][] = [];
    for (const a of edges) for (const b of edges) pairs.push([a, b]);
    const gen = createRng(77, 0);
    for (let i = 0; i < 200; i++) pairs.push([Math.floor(gen.next() * 2 ** 53), Math.floor(gen.next() * 2 ** (i % 54))]);
    const reused = createRng(3, 3);
    reused.normal(); // leaves a spare normal that reseed must drop
    for (const [seed, stream] of pairs) {
      const viaNumber = createRng(seed, stream);
      expect(reused.reseed(seed, stream).state()).toEqual(viaNumber.state());
      expect(reused.normal()).toBe(createRng(seed, stream).normal());
      expect(viaNumber.state(), `seed ${seed} stream ${stream}`).toEqual(createRng(BigInt(seed), BigInt(stream)).state());
      expect(Array.from({ length: 3 }, () => viaNumber.nextUint32())).toEqual(referenceXoshiro128(BigInt(seed), BigInt(stream), 3));
    }
  });

  it('gives uniform doubles in [0, 1) and (0, 1) that pass a KS test and a lag-1 correlation test', () => {
    const rng = createRng(99, 0);
    const n = 50_000;
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = i % 2 ? rng.next() : rng.nextOpen();
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(ksStatistic(u, (x) => x)).toBeLessThan(1.95);
    let c = 0;
    for (let i = 1; i < n; i++) c += (u[i] - 0.5) * (u[i - 1] - 0.5);
    // corr ~ N(0, 1/n): |corr| < 4/√n
    expect(Math.abs(c / (n - 1) / (1 / 12))).toBeLessThan(4 / Math.sqrt(n));
  });

  it('streams of neighbouring trial indices are uncorrelated', () => {
    const n = 20_000;
    const a = createRng(5, 100);
    const b = createRng(5, 101);
    let c = 0;
    for (let i = 0; i < n; i++) c += (a.next() - 0.5) * (b.next() - 0.5);
    expect(Math.abs(c / n / (1 / 12))).toBeLessThan(4 / Math.sqrt(n));
  });

  it('rejects negative or fractional seeds', () => {
    expect(() => createRng(-1)).toThrow(RangeError);
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(1, -2)).toThrow(RangeError);
  });
});

/** Plain reference: SplitMix64 seeding + xoshiro128**, written with BigInt masks only. */
function referenceXoshiro128(seed: bigint, stream: bigint, count: number): number[] {
  const M64 = (1n << 64n) - 1n;
  const M32 = (1n << 32n) - 1n;
  const sm = (z: bigint) => {
    z = (z + 0x9e3779b97f4a7c15n) & M64;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  let z = sm(sm(seed) ^ sm(stream ^ 0x5851f42d4c957f2dn));
  const s: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    z = (z + 0x9e3779b97f4a7c15n) & M64;
    const o = sm(z);
    s.push(o & M32, o >> 32n);
  }
  const rot = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M32;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rot((s[1] * 5n) & M32, 7n) * 9n) & M32));
    const t = (s[1] << 9n) & M32;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rot(s[3], 11n);
  }
  return out;
}

describe('SAMPLERS', () => {
  it('has exactly the names of SAMPLER_ARITY', () => {
    expect(Object.keys(SAMPLERS).sort()).toEqual(Object.keys(SAMPLER_ARITY).sort());
  });

  it('are reproducible for a fixed seed and stream', () => {
    const args: Record<string, number[]> = {
      normal: [1, 2], lognormal: [0, 0.5], gamma: [0.3, 2], beta: [0.5, 3], exponential: [2], weibull: [1.5, 2],
      laplace: [0, 1], cauchy: [0, 1], studentt: [5, 0, 1], vonmises: [1, 2], inversegaussian: [1, 3], poisson: [30],
      bernoulli: [0.3], binomial: [200, 0.4], geometric: [0.2], negbinomial: [5, 0.4], categorical: [0.2, 0.3, 0.5],
      dirichlet: [1, 2, 3], mvnormal2: [0, 1, 2, 0.5, 1],
    };
    expect(Object.keys(args).sort()).toEqual(Object.keys(SAMPLERS).sort());
    for (const [name, a] of Object.entries(args)) {
      const x = sampleMany(name, createRng(8, 1), a, 50);
      const y = sampleMany(name, createRng(8, 1), a, 50);
      expect(y, name).toEqual(x);
      const flat = Array.isArray(x) ? x.flatMap((v) => Array.from(v)) : Array.from(x);
      expect(flat.every(Number.isFinite), name).toBe(true);
    }
  });

  it('return NaN for invalid arguments instead of throwing', () => {
    const rng = createRng(1);
    expect(SAMPLERS.normal(rng, [0, -1])).toBeNaN();
    expect(SAMPLERS.gamma(rng, [-1, 1])).toBeNaN();
    expect(SAMPLERS.poisson(rng, [-3])).toBeNaN();
    expect(SAMPLERS.binomial(rng, [2.5, 0.5])).toBeNaN();
    expect(Array.from(SAMPLERS.dirichlet(rng, [1, -2, 3]) as Float64Array).every(Number.isNaN)).toBe(true);
    expect(Array.from(SAMPLERS.mvnormal2(rng, [0, 0, 1, 2, 1]) as Float64Array).every(Number.isNaN)).toBe(true);
  });
});

describe('continuous samplers match their mean and variance within 5 Monte Carlo standard errors', () => {
  const N = 40_000;
  it('normal(mu, sigma)', () => expectMoments(draw('normal', [1.5, 2], N), 1.5, 4));
  it('lognormal(mu, sigma)', () => {
    const [mu, s] = [0.2, 0.4];
    expectMoments(draw('lognormal', [mu, s], N), Math.exp(mu + (s * s) / 2), (Math.exp(s * s) - 1) * Math.exp(2 * mu + s * s));
  });
  for (const [shape, rate] of [[0.3, 2], [1, 1], [4.5, 0.5], [150, 3]]) {
    it(`gamma(shape ${shape}, rate ${rate})`, () => expectMoments(draw('gamma', [shape, rate], N), shape / rate, shape / rate ** 2));
  }
  for (const [a, b] of [[0.5, 0.5], [2, 5], [0.1, 3]]) {
    it(`beta(${a}, ${b})`, () => expectMoments(draw('beta', [a, b], N), a / (a + b), (a * b) / ((a + b) ** 2 * (a + b + 1))));
  }
  it('exponential(rate)', () => expectMoments(draw('exponential', [2.5], N), 0.4, 0.16));
  it('weibull(k, lambda)', () => {
    const [k, l] = [1.7, 2];
    const g1 = Math.exp(lgamma(1 + 1 / k));
    const g2 = Math.exp(lgamma(1 + 2 / k));
    expectMoments(draw('weibull', [k, l], N), l * g1, l * l * (g2 - g1 * g1));
  });
  it('laplace(mu, b)', () => expectMoments(draw('laplace', [-1, 0.7], N), -1, 2 * 0.49));
  it('studentt(nu, mu, sigma)', () => expectMoments(draw('studentt', [9, 1, 2], N), 1, (4 * 9) / 7));
  it('inversegaussian(mu, lambda)', () => {
    for (const [mu, lam] of [[1, 3], [5, 0.5]]) expectMoments(draw('inversegaussian', [mu, lam], N), mu, mu ** 3 / lam);
  });
  it('vonmises(mu, kappa): E[cos(x−mu)] = I1/I0, E[sin(x−mu)] = 0, values in [−π, π)', () => {
    for (const [mu, kappa] of [[3, 2], [-2, 0.05], [0.5, 40]]) {
      const xs = draw('vonmises', [mu, kappa], N);
      expect(xs.every((x) => x >= -Math.PI && x < Math.PI)).toBe(true);
      const c = xs.map((x) => Math.cos(x - mu));
      const s = xs.map((x) => Math.sin(x - mu));
      const A = SPECIAL.besselratio(kappa);
      // Var cos(x−mu) = (1 + I2/I0)/2 − A², I2/I0 = 1 − 2A/κ
      expectMoments(c, A, (1 + 1 - (2 * A) / kappa) / 2 - A * A);
      expectMoments(s, 0, (1 - (1 - (2 * A) / kappa)) / 2);
    }
  });
  it('cauchy(x0, gamma): quartiles x0 ± gamma within 5 standard errors', () => {
    const xs = Float64Array.from(draw('cauchy', [2, 3], N)).sort();
    // SE of a sample quantile = √(q(1−q)/N)/f(x_q); f at the quartiles = 1/(2πγ)
    const se = Math.sqrt(0.1875 / N) * 2 * Math.PI * 3;
    expect(Math.abs(xs[Math.floor(N / 4)] - (2 - 3))).toBeLessThan(5 * se);
    expect(Math.abs(xs[Math.floor((3 * N) / 4)] - (2 + 3))).toBeLessThan(5 * se);
  });
  it('mvnormal2: means and the covariance [[s11, s12], [s12, s22]]', () => {
    const rows = sampleMany('mvnormal2', createRng(3, 3), [1, -2, 2, -0.8, 0.5], N) as Float64Array[];
    const x1 = rows.map((r) => r[0]);
    const x2 = rows.map((r) => r[1]);
    expectMoments(x1, 1, 2);
    expectMoments(x2, -2, 0.5);
    // the product (x1−μ1)(x2−μ2) has mean s12
    expectMoments(
      rows.map((r) => (r[0] - 1) * (r[1] + 2)),
      -0.8,
      2 * 0.5 + 0.64, // Var of a product of jointly normal centred variables = s11 s22 + s12²
    );
  });
  it('dirichlet(a1, a2, a3): returns the first two coordinates with Beta marginals', () => {
    const a = [0.4, 2, 3.5];
    const A = a[0] + a[1] + a[2];
    const rows = sampleMany('dirichlet', createRng(4, 4), a, N) as Float64Array[];
    expect(rows[0].length).toBe(2);
    for (let i = 0; i < 2; i++) {
      const m = a[i] / A;
      expectMoments(rows.map((r) => r[i]), m, (m * (1 - m)) / (A + 1));
    }
    expect(rows.every((r) => r[0] > 0 && r[1] > 0 && r[0] + r[1] < 1)).toBe(true);
  });
});

describe('discrete samplers match their mean and variance within 5 Monte Carlo standard errors', () => {
  const N = 40_000;
  for (const lam of [0.3, 4, 9.9, 10, 37, 2000]) {
    it(`poisson(${lam})`, () => expectMoments(draw('poisson', [lam], N), lam, lam));
  }
  it('bernoulli(p)', () => expectMoments(draw('bernoulli', [0.27], N), 0.27, 0.27 * 0.73));
  for (const [n, p] of [[10, 0.3], [10, 0.9], [1000, 0.05], [100_000, 0.6]]) {
    it(`binomial(${n}, ${p})`, () => expectMoments(draw('binomial', [n, p], N), n * p, n * p * (1 - p)));
  }
  it('geometric(p): failures before the first success', () => expectMoments(draw('geometric', [0.3], N), 0.7 / 0.3, 0.7 / 0.09));
  it('negbinomial(r, p): failures before the r-th success', () => {
    const [r, p] = [5, 0.4];
    expectMoments(draw('negbinomial', [r, p], N), (r * (1 - p)) / p, (r * (1 - p)) / (p * p));
  });
  it('categorical(p1, p2, p3) returns 1..K with the given probabilities', () => {
    const xs = draw('categorical', [0.2, 0.5, 0.3], N);
    const { stat, df } = chiSquare(xs.map((x) => x - 1), (k) => [0.2, 0.5, 0.3][k], 2);
    expect(df).toBe(2);
    expect(stat).toBeLessThan(chiCrit(df));
    expect(xs.every((x) => x === 1 || x === 2 || x === 3)).toBe(true);
  });
});

describe('goodness of fit against the exact CDF / pmf (cephes as the independent oracle)', () => {
  const N = 20_000;
  it('normal: Kolmogorov–Smirnov against Φ', () => {
    expect(ksStatistic(draw('normal', [1, 2], N), (x) => cephes.ndtr((x - 1) / 2))).toBeLessThan(1.95);
  });
  it('gamma with shape < 1 and shape > 1: KS against the regularized incomplete gamma', () => {
    for (const [shape, rate] of [[0.4, 1.5], [3.2, 0.7]]) {
      expect(ksStatistic(draw('gamma', [shape, rate], N), (x) => cephes.gdtr(rate, shape, x))).toBeLessThan(1.95);
    }
  });
  it('beta: KS against the regularized incomplete beta', () => {
    for (const [a, b] of [[0.3, 0.8], [2.5, 4]]) {
      expect(ksStatistic(draw('beta', [a, b], N), (x) => cephes.incbet(a, b, x))).toBeLessThan(1.95);
    }
  });
  it('studentt: KS against the Student t CDF', () => {
    expect(ksStatistic(draw('studentt', [5, 1, 2], N), (x) => cephes.stdtr(5, (x - 1) / 2))).toBeLessThan(1.95);
  });
  it('cauchy: KS against ½ + atan((x − x0)/γ)/π', () => {
    expect(ksStatistic(draw('cauchy', [1, 0.5], N), (x) => 0.5 + Math.atan((x - 1) / 0.5) / Math.PI)).toBeLessThan(1.95);
  });
  it('inversegaussian: KS against the closed-form CDF', () => {
    const [mu, lam] = [2, 1.5];
    const cdf = (x: number) =>
      cephes.ndtr(Math.sqrt(lam / x) * (x / mu - 1)) + Math.exp((2 * lam) / mu) * cephes.ndtr(-Math.sqrt(lam / x) * (x / mu + 1));
    expect(ksStatistic(draw('inversegaussian', [mu, lam], N), cdf)).toBeLessThan(1.95);
  });
  it('vonmises: KS against the CDF by quadrature of the density', () => {
    const [mu, kappa] = [2.5, 3]; // mass wraps across ±π
    const logNorm = Math.log(2 * Math.PI) + SPECIAL.logbesseli0(kappa);
    const pdf = (t: number) => Math.exp(kappa * Math.cos(t - mu) - logNorm);
    const grid = 400;
    const F = new Float64Array(grid + 1);
    for (let i = 0; i < grid; i++) {
      const a = -Math.PI + (2 * Math.PI * i) / grid;
      F[i + 1] = F[i] + integrate(pdf, a, a + (2 * Math.PI) / grid).value;
    }
    expect(F[grid]).toBeCloseTo(1, 12);
    const cdf = (x: number) => {
      const pos = ((x + Math.PI) / (2 * Math.PI)) * grid;
      const i = Math.min(grid - 1, Math.floor(pos));
      const a = -Math.PI + (2 * Math.PI * i) / grid;
      return F[i] + integrate(pdf, a, x).value;
    };
    expect(ksStatistic(draw('vonmises', [mu, kappa], 5000), cdf)).toBeLessThan(1.95);
  });
  it('poisson, small λ (inversion) and large λ (PTRS): chi-square against the pmf', () => {
    for (const lam of [3, 55]) {
      const pmf = (k: number) => Math.exp(k * Math.log(lam) - lam - lgamma(k + 1));
      const kmax = Math.ceil(lam + 4 * Math.sqrt(lam));
      const { stat, df } = chiSquare(draw('poisson', [lam], N), pmf, kmax);
      expect(stat).toBeLessThan(chiCrit(df));
    }
  });
  it('binomial with large n (beta splitting): chi-square against the pmf', () => {
    const [n, p] = [500, 0.3];
    const logC = (k: number) => lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
    const pmf = (k: number) => (k < 110 ? 0 : Math.exp(logC(k) + k * Math.log(p) + (n - k) * Math.log1p(-p)));
    const xs = draw('binomial', [n, p], N).map((x) => x - 110);
    const { stat, df } = chiSquare(xs, (k) => pmf(k + 110), 80);
    expect(stat).toBeLessThan(chiCrit(df));
  });
  it('negbinomial: chi-square against the pmf (cephes nbdtr differences)', () => {
    const [r, p] = [5, 0.4];
    const pmf = (k: number) => cephes.nbdtr(k, r, p) - (k > 0 ? cephes.nbdtr(k - 1, r, p) : 0);
    const { stat, df } = chiSquare(draw('negbinomial', [r, p], N), pmf, 25);
    expect(stat).toBeLessThan(chiCrit(df));
  });
  it('geometric: chi-square against p(1−p)^k', () => {
    const p = 0.35;
    const { stat, df } = chiSquare(draw('geometric', [p], N), (k) => p * (1 - p) ** k, 15);
    expect(stat).toBeLessThan(chiCrit(df));
  });
});

describe('edge regimes of the samplers', () => {
  const N = 20_000;
  it('vonmises with tiny κ is uniform on [−π, π) and with huge κ is N(μ, 1/κ) (wrapped)', () => {
    const u = draw('vonmises', [1, 1e-10], N);
    expect(ksStatistic(u, (x) => (x + Math.PI) / (2 * Math.PI))).toBeLessThan(1.95);
    const kappa = 1e7;
    const z = draw('vonmises', [-3.14159, kappa], N).map((x) => wrapAngle(x + 3.14159) * Math.sqrt(kappa));
    expect(ksStatistic(z, (x) => cephes.ndtr(x))).toBeLessThan(1.95);
    // and just below the switch (κ = 10⁵, Best–Fisher): still ≈ N(0, 1/κ)
    const z2 = draw('vonmises', [0, 1e5], N).map((x) => x * Math.sqrt(1e5));
    expectMoments(z2, 0, 1); // Var(√κ·x) = 1 + O(1/κ), far below the Monte Carlo error
  });
  it('degenerate and boundary arguments: poisson(0) = 0, binomial with p ∈ {0, 1}, geometric(1) = 0, bernoulli(0/1)', () => {
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) {
      expect(SAMPLERS.poisson(rng, [0])).toBe(0);
      expect(SAMPLERS.binomial(rng, [500, 0])).toBe(0);
      expect(SAMPLERS.binomial(rng, [500, 1])).toBe(500);
      expect(SAMPLERS.binomial(rng, [0, 0.4])).toBe(0);
      expect(SAMPLERS.geometric(rng, [1])).toBe(0);
      expect(SAMPLERS.bernoulli(rng, [0])).toBe(0);
      expect(SAMPLERS.bernoulli(rng, [1])).toBe(1);
    }
  });
  it('beta and dirichlet with tiny shapes stay inside (0, 1) without underflowing to 0/0', () => {
    const b = draw('beta', [0.01, 0.02], N);
    expect(b.every((x) => x >= 0 && x <= 1 && !Number.isNaN(x))).toBe(true);
    expectMoments(b, 1 / 3, (0.01 * 0.02) / (0.03 ** 2 * 1.03));
    const rows = sampleMany('dirichlet', createRng(8), [0.01, 0.01, 0.01], 1000) as Float64Array[];
    expect(rows.every((r) => r.every((x) => Number.isFinite(x) && x >= 0 && x <= 1))).toBe(true);
  });
});

describe('checkSamplerArgs', () => {
  it('accepts valid arguments and names the problem otherwise', () => {
    expect(checkSamplerArgs('gamma', [2, 1])).toBeNull();
    expect(checkSamplerArgs('gamma', [2, -1])).toBe('gamma: rate must be > 0 (got -1)');
    expect(checkSamplerArgs('gamma', [2])).toMatch(/takes 2/);
    expect(checkSamplerArgs('categorical', [0.2, 0.3])).toMatch(/sum to 1/);
    expect(checkSamplerArgs('categorical', [0.2, 0.8])).toBeNull();
    expect(checkSamplerArgs('nope', [1])).toMatch(/unknown sampler/);
    expect(checkSamplerArgs('mvnormal2', [0, 0, 1, 1.5, 1])).toMatch(/positive definite/);
  });
});

describe('wrapAngle', () => {
  it('maps to [−π, π) and preserves the angle modulo 2π', () => {
    for (const x of [-10, -Math.PI, 0, Math.PI, 3 * Math.PI + 0.1, 100]) {
      const y = wrapAngle(x);
      expect(y).toBeGreaterThanOrEqual(-Math.PI);
      expect(y).toBeLessThan(Math.PI);
      expect(Math.cos(y)).toBeCloseTo(Math.cos(x), 12);
      expect(Math.sin(y)).toBeCloseTo(Math.sin(x), 12);
    }
  });
});
