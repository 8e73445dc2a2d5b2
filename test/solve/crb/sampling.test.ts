/**
 * Goodness of fit of every sampling route against independent CDFs (cephes, or the analytic CDF
 * written here): Kolmogorov–Smirnov for continuous laws, χ² for discrete ones, fixed seeds, each
 * required at p > 1e-3. Routes: the built-in samplers, a declared transform sampler, the generic
 * inversion sampler (PINV-like, also checked pointwise: |F(x(u)) − u| ≤ 1e-10 with the exact F) and
 * the generic discrete sampler including draws from the tail beyond its table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import cephesModule from 'cephes';
import { createRng, sampleMany } from '../../../src/core/random.js';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import { chiSquareCdf } from '../../../src/solve/crb/chiSquareQuantile.js';
import { buildDiscrete, buildInversion, drawDiscrete, invert } from '../../../src/solve/crb/inversion.js';
import { crbSetup, samplerSource } from '../../../src/solve/crb/crbSetup.js';
import { drawFunction } from '../../../src/solve/crb/runTrials.js';

type Fn = (...a: number[]) => number;
const cephes = cephesModule as unknown as { compiled: Promise<void> } & Record<string, Fn>;
beforeAll(async () => {
  await cephes.compiled;
});

const FIX = join(__dirname, '../../fixtures/sampling');
const P_MIN = 1e-3;

/** Kolmogorov–Smirnov p-value of a sample against the CDF F (asymptotic Kolmogorov law, Stephens' correction). */
function ksPValue(xs: ArrayLike<number>, F: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = F(s[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const lam = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let k = 1; k < 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lam * lam);
  return Math.min(1, Math.max(0, p));
}

/** χ² p-value of integer draws against a pmf, cells merged until each expects ≥ 5. */
function chiSquarePValue(xs: ArrayLike<number>, pmf: (k: number) => number, lo: number, hi: number): number {
  const n = xs.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(xs[i], (counts.get(xs[i]) ?? 0) + 1);
  const cells: { e: number; o: number }[] = [];
  let e = 0;
  let o = 0;
  let pSum = 0;
  for (let k = lo; k <= hi; k++) {
    const p = pmf(k);
    pSum += p;
    e += n * p;
    o += counts.get(k) ?? 0;
    if (e >= 5) {
      cells.push({ e, o });
      e = 0;
      o = 0;
    }
  }
  // the rest of the support (beyond hi) joins the last cell
  let rest = 0;
  for (const [k, c] of counts) if (k > hi || k < lo) rest += c;
  const last = cells[cells.length - 1];
  last.e += e + n * Math.max(0, 1 - pSum);
  last.o += o + rest;
  let chi = 0;
  for (const c of cells) chi += (c.o - c.e) ** 2 / c.e;
  return 1 - chiSquareCdf(chi, cells.length - 1);
}

const load = (file: string) => {
  const spec = loadFamily(file);
  return { spec, compiled: compileFamily(deriveFamily(spec)) };
};

describe('built-in samplers (20 000 draws each)', () => {
  const N = 20_000;
  const cont: [string, number[], (x: number) => number][] = [
    ['normal', [1, 2], (x) => cephes.ndtr((x - 1) / 2)],
    ['lognormal', [0.3, 0.6], (x) => cephes.ndtr((Math.log(x) - 0.3) / 0.6)],
    ['gamma', [2.5, 0.7], (x) => cephes.igam(2.5, 0.7 * x)],
    ['gamma', [0.3, 2], (x) => cephes.igam(0.3, 2 * x)],
    ['gamma', [40, 5], (x) => cephes.igam(40, 5 * x)],
    ['beta', [0.5, 3], (x) => cephes.incbet(0.5, 3, x)],
    ['beta', [2, 3], (x) => cephes.incbet(2, 3, x)],
    ['exponential', [1.7], (x) => 1 - Math.exp(-1.7 * x)],
    ['weibull', [1.5, 2], (x) => 1 - Math.exp(-((x / 2) ** 1.5))],
    ['cauchy', [-1, 0.5], (x) => 0.5 + Math.atan((x + 1) / 0.5) / Math.PI],
    ['laplace', [0.5, 1.3], (x) => (x < 0.5 ? 0.5 * Math.exp((x - 0.5) / 1.3) : 1 - 0.5 * Math.exp(-(x - 0.5) / 1.3))],
    ['studentt', [5, 0, 1], (x) => cephes.stdtr(5, x)],
    ['inversegaussian', [1.5, 4], (x) => cephes.ndtr(Math.sqrt(4 / x) * (x / 1.5 - 1)) + Math.exp(8 / 1.5) * cephes.ndtr(-Math.sqrt(4 / x) * (x / 1.5 + 1))],
  ];
  it('the ziggurat normal behind the gamma sampler: KS p > 1e-3, tails beyond r = 3.44 included', () => {
    const rng = createRng(2026, 3);
    const xs = Float64Array.from({ length: 200_000 }, () => rng.normalZig());
    expect(ksPValue(xs, (x) => cephes.ndtr(x))).toBeGreaterThan(P_MIN);
    const tail = xs.filter((x) => Math.abs(x) > 3.442619855899).length;
    const expected = 200_000 * 2 * cephes.ndtr(-3.442619855899);
    expect(Math.abs(tail - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });
  for (const [name, args, F] of cont) {
    it(`${name}(${args.join(', ')}): KS p > ${P_MIN}`, () => {
      const xs = sampleMany(name, createRng(2026, 1), args, N) as Float64Array;
      expect(ksPValue(xs, F)).toBeGreaterThan(P_MIN);
    });
  }
  const disc: [string, number[], (k: number) => number, number][] = [
    ['poisson', [3.5], (k) => cephes.pdtr(k, 3.5) - (k > 0 ? cephes.pdtr(k - 1, 3.5) : 0), 40],
    ['poisson', [60], (k) => cephes.pdtr(k, 60) - (k > 0 ? cephes.pdtr(k - 1, 60) : 0), 200],
    ['binomial', [10, 0.35], (k) => cephes.bdtr(k, 10, 0.35) - (k > 0 ? cephes.bdtr(k - 1, 10, 0.35) : 0), 10],
    ['binomial', [300, 0.4], (k) => cephes.bdtr(k, 300, 0.4) - (k > 0 ? cephes.bdtr(k - 1, 300, 0.4) : 0), 300],
    ['geometric', [0.3], (k) => 0.3 * 0.7 ** k, 200],
    ['negbinomial', [5, 0.45], (k) => cephes.nbdtr(k, 5, 0.45) - (k > 0 ? cephes.nbdtr(k - 1, 5, 0.45) : 0), 300],
  ];
  for (const [name, args, pmf, hi] of disc) {
    it(`${name}(${args.join(', ')}): χ² p > ${P_MIN}`, () => {
      const xs = sampleMany(name, createRng(2026, 2), args, N) as Float64Array;
      expect(chiSquarePValue(xs, pmf, 0, hi)).toBeGreaterThan(P_MIN);
    });
  }
});

describe('declared transform sampler', () => {
  it('gumbel "mu - beta*log(-log(u))": KS p > 1e-3 against exp(−e^{−(x−μ)/β})', () => {
    const { spec, compiled } = load(join(FIX, 'gumbel.yaml'));
    const setup = crbSetup(spec, compiled, [1, 2]);
    expect(setup.sampler.kind).toBe('transform');
    const xs = drawFunction(setup.sampler, setup.theta, compiled)(createRng(7, 0), 20_000) as Float64Array;
    expect(ksPValue(xs, (x) => Math.exp(-Math.exp(-(x - 1) / 2)))).toBeGreaterThan(P_MIN);
  });
});

describe('generic inversion sampler (no sampler declared)', () => {
  const cases: [string, number[], (x: number) => number][] = [
    ['logistic_nosampler.yaml', [1, 0.5], (x) => 1 / (1 + Math.exp(-(x - 1) / 0.5))],
    // a pole at 0 (a < 1), and a smooth case
    ['kumaraswamy_nosampler.yaml', [0.5, 2], (x) => 1 - (1 - x ** 0.5) ** 2],
    ['kumaraswamy_nosampler.yaml', [2, 3], (x) => 1 - (1 - x ** 2) ** 3],
  ];
  for (const [file, theta, F] of cases) {
    it(`${file} at (${theta.join(', ')}): u-error ≤ 1e-10 against the exact CDF, KS p > 1e-3`, () => {
      const { spec, compiled } = load(join(FIX, file));
      // the sampler alone (crbSetup would also need a finite Fisher metric, not the point here)
      const sampler = samplerSource(spec, compiled, theta);
      expect(sampler.kind).toBe('inversion');
      if (sampler.kind !== 'inversion') return;
      const table = sampler.table;
      expect(table.uError).toBeLessThanOrEqual(1e-10);
      const rng = createRng(99, 0);
      let worst = 0;
      for (let i = 0; i < 4000; i++) {
        const u = rng.next();
        worst = Math.max(worst, Math.abs(F(invert(table, u)) - u));
      }
      expect(worst).toBeLessThanOrEqual(1e-10);
      const xs = drawFunction(sampler, theta, compiled)(createRng(5, 0), 20_000) as Float64Array;
      expect(ksPValue(xs, F)).toBeGreaterThan(P_MIN);
    });
  }

  it('a pole at 1 whose mass sits beyond the last double below 1 (Kumaraswamy b = 0.4) is a clear error, not a wrong sampler', () => {
    const { spec, compiled } = load(join(FIX, 'kumaraswamy_nosampler.yaml'));
    // P(X > 1 − 2⁻⁵³) = (1 − (1 − 2⁻⁵³)^a)^b ≈ 7e-7 > 1e-10
    expect(() => samplerSource(spec, compiled, [0.5, 0.4])).toThrow(/next to the support end 1 beyond the last point representable in double precision.*declare a sampler/);
  });

  it('heavy tails and poles from the catalogue densities: cauchy, gamma with shape 0.3 (u-error ≤ 1e-10 by cephes)', () => {
    const c = load('cauchy');
    const tc = buildInversion((x) => c.compiled.logDensity(x, [-1, 0.7]), { lo: -Infinity, hi: Infinity });
    const g = load('gamma');
    const tg = buildInversion((x) => g.compiled.logDensity(x, [0.3, 2]), { lo: 0, hi: Infinity });
    const rng = createRng(3, 3);
    let wc = 0;
    let wg = 0;
    for (let i = 0; i < 4000; i++) {
      const u = rng.next();
      wc = Math.max(wc, Math.abs(0.5 + Math.atan((invert(tc, u) + 1) / 0.7) / Math.PI - u));
      wg = Math.max(wg, Math.abs(cephes.igam(0.3, 2 * invert(tg, u)) - u));
    }
    expect(wc).toBeLessThanOrEqual(1e-10);
    expect(wg).toBeLessThanOrEqual(1e-10);
  });
});

describe('generic discrete sampler', () => {
  const lam = 2.5;
  const pmf = (k: number) => Math.exp((k + 1) * Math.log(lam) - cephes.lgam(k + 2)) / Math.expm1(lam);
  it('zero-truncated Poisson without sampler: χ² p > 1e-3', () => {
    const { spec, compiled } = load(join(FIX, 'ztpoisson_nosampler.yaml'));
    const setup = crbSetup(spec, compiled, [lam]);
    expect(setup.sampler.kind).toBe('discrete');
    const xs = drawFunction(setup.sampler, setup.theta, compiled)(createRng(8, 0), 20_000) as Float64Array;
    expect(chiSquarePValue(xs, pmf, 0, 40)).toBeGreaterThan(P_MIN);
  });
  it('a support {integers: [1, .inf]} (examples/families/ztpoisson.yaml) starts its table at 1: no draw below 1, χ² p > 1e-3', () => {
    const { spec, compiled } = load(join(__dirname, '../../../examples/families/ztpoisson.yaml'));
    const setup = crbSetup(spec, compiled, [lam]);
    expect(setup.sampler.kind).toBe('discrete');
    const xs = drawFunction(setup.sampler, setup.theta, compiled)(createRng(8, 1), 20_000) as Float64Array;
    expect(Math.min(...xs)).toBe(1);
    // pmf(k) above is P(X = k + 1)
    expect(chiSquarePValue(xs, (k) => (k >= 1 ? pmf(k - 1) : 0), 1, 41)).toBeGreaterThan(P_MIN);
  });
  it('the tail beyond the table is drawn by continuing the exact sum: a table cut after k = 2 still fits', () => {
    const logpmf = (k: number) => Math.log(pmf(k));
    const full = buildDiscrete(logpmf, null);
    expect(1 - full.cum[full.cum.length - 1]).toBeLessThan(1e-13);
    const cut = { ...full, values: full.values.slice(0, 3), cum: full.cum.slice(0, 3) };
    const rng = createRng(11, 0);
    const xs = Float64Array.from({ length: 20_000 }, () => drawDiscrete(cut, rng, logpmf));
    expect(xs.filter((k) => k > 2).length).toBeGreaterThan(3000); // P(K > 2) ≈ 0.24
    expect(chiSquarePValue(xs, pmf, 0, 40)).toBeGreaterThan(P_MIN);
  });
  it('a multivariate family without a sampler is a clear error', () => {
    const { spec, compiled } = load(join(FIX, 'binormal_nosampler.yaml'));
    expect(() => crbSetup(spec, compiled, [1])).toThrow(/declares no sampler and has 2 data variables.*add a 'sampler:' block/);
  });
});
