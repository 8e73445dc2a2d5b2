/**
 * Seeded pseudo-random numbers and the built-in samplers named in ./samplerNames.ts.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018; 128-bit state, period 2^128 − 1, 32-bit
 * outputs; doubles take 53 bits from two outputs). Seeding: SplitMix64 (Steele, Lea & Flood 2014)
 * over (seed, stream), so that `createRng(seed, trial)` gives every Monte Carlo trial its own
 * stream: results depend only on (seed, trial index), never on how trials are split over workers.
 *
 * Samplers follow the argument conventions of {@link SAMPLER_ARITY} exactly (see the header of
 * ./samplerNames.ts): gamma uses the RATE, geometric/negbinomial count failures, categorical
 * returns 1..K, dirichlet returns the first K−1 coordinates, vonmises returns values in [−π, π).
 * Like every numeric closure here they never throw: invalid arguments give NaN (or a vector of
 * NaN); {@link checkSamplerArgs} validates separately.
 *
 * @example
 * const rng = createRng(42, 0);
 * SAMPLERS.gamma(rng, [2.5, 0.5]); // returns one Gamma(shape 2.5, rate 0.5) draw
 */
import { SAMPLER_ARITY } from './samplerNames.js';
import type { DataPoint } from './types.js';
import { SPECIAL } from './special.js';

const lgamma = SPECIAL.lgamma;

const MASK64 = (1n << 64n) - 1n;

/** One SplitMix64 output for state `z` (BigInt, used only while seeding). */
function splitMix64(z: bigint): bigint {
  z = (z + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function toBigSeed(x: number | bigint, what: string): bigint {
  if (typeof x === 'bigint') {
    if (x < 0n) throw new RangeError(`${what} must be a non-negative integer`);
    return x & MASK64;
  }
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${x}`);
  return BigInt(x);
}

/** A seeded stream of uniform numbers (xoshiro128**) with a standard-normal helper. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  /** Prefer {@link createRng}; this takes the four 32-bit state words (not all zero). */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit output as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in the open interval (0, 1) (never 0, never 1). */
  nextOpen(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b + 0.5) / 9007199254740992;
  }

  /** Standard normal N(0, 1) by the Marsaglia polar method (the second value is kept). */
  normal(): number {
    const s = this.spare;
    if (s === s) {
      this.spare = NaN;
      return s;
    }
    let u: number, v: number, q: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return u * f;
  }

  /**
   * Standard normal by the ziggurat method (Marsaglia & Tsang 2000, in Doornik's 2005 form that
   * takes the layer and the value from different bits): one 32-bit output per draw in ≈ 98.8% of
   * cases (layer = low 7 bits, value = the other 25), exact rejection otherwise. Faster than
   * {@link normal}; used by the gamma sampler.
   */
  normalZig(): number {
    const w = this.nextUint32();
    const i = w & 127;
    const u = ((w >>> 7) + 0.5) / 16777216 - 1; // in (−1, 1), 25 bits
    if (Math.abs(u) < ZIG_R[i]) return u * ZIG_X[i];
    // tail beyond r (Marsaglia 1964) for layer 0, else the wedge test and a fresh draw
    return this.normalZigSlow(i, u);
  }

  /**
   * Fills `out` with Gamma(d + 1/3, rate) draws by {@link marsagliaTsang} (c = 1/√(9d)), with the
   * generator state, the ziggurat fast path and the 32-bit uniform inlined (no calls, no
   * allocation): bit for bit the same numbers and stream as calling marsagliaTsang per draw.
   */
  fillGamma(out: Float64Array, d: number, c: number, rate: number): Float64Array {
    const scale = 1 / rate;
    // `| 0`: the fields may hold heap numbers (values outside the small-integer range); int32 locals
    // keep the loop in integer registers (≈ 40% faster)
    let s0 = this.s0 | 0, s1 = this.s1 | 0, s2 = this.s2 | 0, s3 = this.s3 | 0;
    const n = out.length;
    for (let i = 0; i < n; ) {
      // next 32-bit output (xoshiro128**), inlined
      let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const k = r & 127;
      const u = ((r >>> 7) + 0.5) * 5.9604644775390625e-8 - 1; // 2^-24, exact
      let x: number;
      if (Math.abs(u) < ZIG_R[k]) x = u * ZIG_X[k];
      else {
        // rare slow path through the methods (state written back and reloaded)
        this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
        x = this.normalZigSlow(k, u);
        s0 = this.s0 | 0; s1 = this.s1 | 0; s2 = this.s2 | 0; s3 = this.s3 | 0;
      }
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const un = (r + 0.5) * 2.3283064365386963e-10; // 2^-32, exact
      const x2 = x * x;
      if (un < 1 - 0.0331 * x2 * x2 || Math.log(un) < 0.5 * x2 + d * (1 - v + Math.log(v))) out[i++] = d * v * scale;
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }

  /** The slow path of {@link normalZig} after a first 32-bit output gave layer k and value u. */
  private normalZigSlow(k: number, u: number): number {
    let i = k;
    let v = u;
    for (;;) {
      if (i === 0) {
        let x: number, y: number;
        do {
          x = Math.log(this.nextOpen()) / ZIG_RR;
          y = Math.log(this.nextOpen());
        } while (-2 * y < x * x);
        return v < 0 ? x - ZIG_RR : ZIG_RR - x;
      }
      const x = v * ZIG_X[i];
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
      if (f1 + this.next() * (f0 - f1) < 1) return x;
      const w = this.nextUint32();
      i = w & 127;
      v = ((w >>> 7) + 0.5) * 5.9604644775390625e-8 - 1;
      if (Math.abs(v) < ZIG_R[i]) return v * ZIG_X[i];
    }
  }

  /** Uniform in (0, 1) from one 32-bit output (coarser than {@link nextOpen}; for acceptance tests). */
  next32(): number {
    return (this.nextUint32() + 0.5) * 2.3283064365386963e-10; // × 2^-32, exact
  }

  /** Standard exponential (rate 1). */
  exponential(): number {
    return -Math.log(this.nextOpen());
  }

  /**
   * Resets this generator to the stream createRng(seed, stream) (non-negative safe integers), bit
   * for bit, without allocating: one generator serves every Monte Carlo trial.
   */
  reseed(seed: number, stream: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0 || !Number.isSafeInteger(stream) || stream < 0) {
      throw new RangeError(`seed and stream must be non-negative safe integers, got ${seed}, ${stream}`);
    }
    const w = seedWords(seed, stream);
    this.s0 = w[0] | 0;
    this.s1 = w[1] | 0;
    this.s2 = w[2] | 0;
    this.s3 = w[3] | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = NaN;
    return this;
  }

  /** Copy of the current state (for tests and checkpoints). */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

// Ziggurat tables (128 layers): ZIG_X[i] right edge of layer i (ZIG_X[0] = V/f(r) the base strip's
// equivalent width, ZIG_X[1] = r, ZIG_X[128] = 0), ZIG_R[i] = ZIG_X[i+1]/ZIG_X[i].
const ZIG_RR = 3.442619855899;
const ZIG_X = new Float64Array(129);
const ZIG_R = new Float64Array(128);
{
  const V = 9.91256303526217e-3;
  let f = Math.exp(-0.5 * ZIG_RR * ZIG_RR);
  ZIG_X[0] = V / f;
  ZIG_X[1] = ZIG_RR;
  ZIG_X[128] = 0;
  for (let i = 2; i < 128; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < 128; i++) ZIG_R[i] = ZIG_X[i + 1] / ZIG_X[i];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A generator for stream `stream` of seed `seed` (both non-negative integers). Different
 * (seed, stream) pairs give statistically independent streams; the same pair always gives the
 * same numbers, on every platform.
 * @example createRng(1, 0).next() === createRng(1, 0).next() // returns true
 */
export function createRng(seed: number | bigint, stream: number | bigint = 0): Rng {
  if (typeof seed === 'number' && typeof stream === 'number' && Number.isSafeInteger(seed) && seed >= 0 && Number.isSafeInteger(stream) && stream >= 0) {
    return createRngNumber(seed, stream);
  }
  const s = toBigSeed(seed, 'seed');
  const k = toBigSeed(stream, 'stream');
  // Key = SplitMix64 of the seed, then mixed with the stream index; state words from the key.
  let z = splitMix64(splitMix64(s) ^ splitMix64(k ^ 0x5851f42d4c957f2dn));
  const w: number[] = [];
  for (let i = 0; i < 2; i++) {
    z = (z + 0x9e3779b97f4a7c15n) & MASK64;
    const out = splitMix64(z);
    w.push(Number(out & 0xffffffffn), Number(out >> 32n));
  }
  return new Rng(w[0], w[1], w[2], w[3]);
}

/**
 * {@link createRng} for safe-integer seed and stream without BigInt (one call per Monte Carlo trial:
 * BigInt arithmetic made seeding cost ≈ 2 µs): the same SplitMix64 steps on 64-bit words held as
 * two unsigned 32-bit halves, bit for bit the same state (test/core/random.test.ts).
 */
function createRngNumber(seed: number, stream: number): Rng {
  const w = seedWords(seed, stream);
  return new Rng(w[0], w[1], w[2], w[3]);
}

/** The four xoshiro state words of (seed, stream) (safe integers), in a shared buffer. */
function seedWords(seed: number, stream: number): Float64Array {
  const w = SEED_WORDS;
  splitMix64Words(Math.floor(seed / 4294967296), seed >>> 0, w);
  const sh = w[0], sl = w[1];
  splitMix64Words((Math.floor(stream / 4294967296) ^ 0x5851f42d) >>> 0, ((stream >>> 0) ^ 0x4c957f2d) >>> 0, w);
  splitMix64Words((sh ^ w[0]) >>> 0, (sl ^ w[1]) >>> 0, w);
  // z is now the key; two SplitMix64 outputs of z + γ, z + 2γ (low word first)
  let zh = w[0], zl = w[1];
  const out = STATE_WORDS;
  for (let i = 0; i < 2; i++) {
    const lo = zl + 0x7f4a7c15;
    zh = (zh + 0x9e3779b9 + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    zl = lo >>> 0;
    splitMix64Words(zh, zl, w);
    out[2 * i] = w[1];
    out[2 * i + 1] = w[0];
  }
  return out;
}

const STATE_WORDS = new Float64Array(4);

const SEED_WORDS = new Float64Array(2);

/** (hi, lo) of a·b mod 2⁶⁴ for 64-bit a = (ah, al), b = (bh, bl) as unsigned 32-bit halves. */
function mul64(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const mid = a1 * b0 + a0 * b1; // < 2³³, exact
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2³³, exact
  out[1] = low >>> 0;
  out[0] = (a1 * b1 + Math.floor(mid / 65536) + Math.floor(low / 4294967296) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** SplitMix64 output for state (zh, zl) (unsigned halves) after its increment by γ, into out = [hi, lo]. */
function splitMix64Words(zh: number, zl: number, out: Float64Array): void {
  // z = z + 0x9e3779b97f4a7c15
  const lo = zl + 0x7f4a7c15;
  let h = (zh + 0x9e3779b9 + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  let l = lo >>> 0;
  // z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
  l = (l ^ ((l >>> 30) | (h << 2))) >>> 0;
  h = (h ^ (h >>> 30)) >>> 0;
  mul64(h, l, 0xbf58476d, 0x1ce4e5b9, out);
  h = out[0];
  l = out[1];
  // z = (z ^ (z >> 27)) * 0x94d049bb133111eb
  l = (l ^ ((l >>> 27) | (h << 5))) >>> 0;
  h = (h ^ (h >>> 27)) >>> 0;
  mul64(h, l, 0x94d049bb, 0x133111eb, out);
  h = out[0];
  l = out[1];
  // z ^ (z >> 31)
  out[1] = (l ^ ((l >>> 31) | (h << 1))) >>> 0;
  out[0] = (h ^ (h >>> 31)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Continuous building blocks

/**
 * log of a Gamma(shape, 1) variate, valid for tiny shapes where the variate itself underflows.
 * Marsaglia & Tsang (2000) for shape ≥ 1; for shape < 1 the boost G(a) = G(a+1)·U^{1/a}.
 */
function logGammaVariate(rng: Rng, shape: number): number {
  if (!(shape > 0) || shape === Infinity) return NaN;
  if (shape < 1) return logGammaVariate(rng, shape + 1) + Math.log(rng.nextOpen()) / shape;
  return Math.log(gammaVariate(rng, shape));
}

/** Gamma(shape, 1) variate (Marsaglia–Tsang; shape < 1 by the U^{1/a} boost). */
function gammaVariate(rng: Rng, shape: number): number {
  if (!(shape > 0) || shape === Infinity) return NaN;
  if (shape < 1) return gammaVariate(rng, shape + 1) * Math.pow(rng.nextOpen(), 1 / shape);
  const d = shape - 1 / 3;
  return marsagliaTsang(rng, d, 1 / Math.sqrt(9 * d));
}

/**
 * Marsaglia & Tsang (2000) for shape = d + 1/3 ≥ 1, c = 1/√(9d): a ziggurat normal and a 32-bit
 * uniform per attempt (the squeeze accepts ≈ 98% without a logarithm).
 */
function marsagliaTsang(rng: Rng, d: number, c: number): number {
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normalZig();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next32();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

// ---------------------------------------------------------------------------------------------
// Discrete building blocks

/** Poisson(λ): inversion by sequential search for λ < 10, PTRS (Hörmann 1993) above. */
function poissonVariate(rng: Rng, lam: number): number {
  if (!(lam >= 0) || lam === Infinity) return NaN;
  if (lam === 0) return 0;
  if (lam < 10) {
    // Inversion: walk the CDF from 0 (expected λ+1 steps).
    let p = Math.exp(-lam);
    let f = p;
    let k = 0;
    const u = rng.next();
    while (u >= f) {
      k++;
      p *= lam / k;
      const nf = f + p;
      if (nf === f) break; // tail exhausted in double precision
      f = nf;
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze (W. Hörmann, "The transformed rejection method for
  // generating Poisson random variables", Insurance: Mathematics and Economics 12, 1993).
  const slam = Math.sqrt(lam);
  const loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = rng.next() - 0.5;
    const V = rng.nextOpen();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1)) return k;
  }
}

/** Binomial(n, p) by inversion for small n·min(p,1−p) (CDF walk from 0). */
function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const r = p / q;
  let pk = Math.pow(q, n);
  let f = pk;
  let k = 0;
  const u = rng.next();
  while (u >= f && k < n) {
    pk *= (r * (n - k)) / (k + 1);
    k++;
    f += pk;
  }
  return k;
}

/**
 * Binomial(n, p), exact: while n is large, split by the beta distribution of the median order
 * statistic (Knuth, TAOCP vol. 2, §3.4.1 F), then finish by inversion on p ≤ ½.
 */
function binomialVariate(rng: Rng, n: number, p: number): number {
  if (!(Number.isInteger(n) && n >= 0 && p >= 0 && p <= 1)) return NaN;
  let k = 0;
  while (n > 40) {
    const a = 1 + Math.floor(n / 2);
    const b = n + 1 - a;
    const x = betaVariate(rng, a, b); // a-th smallest of n uniforms
    if (x >= p) {
      n = a - 1;
      p = x > 0 ? p / x : 0;
    } else {
      k += a;
      n = b - 1;
      p = (p - x) / (1 - x);
    }
  }
  if (n === 0 || p <= 0) return k;
  if (p >= 1) return k + n;
  return p <= 0.5 ? k + binomialInversion(rng, n, p) : k + n - binomialInversion(rng, n, 1 - p);
}

/** Beta(a, b) through two log-gamma variates (accurate for small a, b). */
function betaVariate(rng: Rng, a: number, b: number): number {
  if (!(a > 0 && b > 0)) return NaN;
  if (a >= 1 && b >= 1) {
    const x = gammaVariate(rng, a);
    const y = gammaVariate(rng, b);
    return x / (x + y);
  }
  const lx = logGammaVariate(rng, a);
  const ly = logGammaVariate(rng, b);
  // x/(x+y) = 1/(1 + e^{ly − lx})
  const d = ly - lx;
  return d > 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
}

// ---------------------------------------------------------------------------------------------
// Samplers

/** Draws one observation; `args` follow the conventions of SAMPLER_ARITY. Never throws. */
export type Sampler = (rng: Rng, args: ArrayLike<number>) => DataPoint;

function nanVec(k: number): Float64Array {
  return new Float64Array(Math.max(k, 0)).fill(NaN);
}

function normal(rng: Rng, a: ArrayLike<number>): number {
  const mu = a[0];
  const sigma = a[1];
  if (!(sigma > 0) || !Number.isFinite(mu)) return NaN;
  return mu + sigma * rng.normal();
}

function vonmises(rng: Rng, a: ArrayLike<number>): number {
  const mu = a[0];
  const kappa = a[1];
  if (!(kappa >= 0) || !Number.isFinite(mu) || kappa === Infinity) return NaN;
  let t: number;
  if (kappa < 1e-8) t = Math.PI * (2 * rng.next() - 1);
  else if (kappa > 1e6) t = rng.normal() / Math.sqrt(kappa); // wrapped normal, error O(1/κ)
  else {
    // Best & Fisher (1979), Applied Statistics 28:152–157.
    let s: number;
    if (kappa < 1e-5) s = 1 / kappa + kappa;
    else {
      const r = 1 + Math.sqrt(1 + 4 * kappa * kappa);
      const rho = (r - Math.sqrt(2 * r)) / (2 * kappa);
      s = (1 + rho * rho) / (2 * rho);
    }
    let f: number;
    for (;;) {
      const z = Math.cos(Math.PI * rng.next());
      f = (1 + s * z) / (s + z);
      const c = kappa * (s - f);
      const u2 = rng.nextOpen();
      if (c * (2 - c) - u2 > 0) break;
      if (Math.log(c / u2) + 1 - c >= 0) break;
    }
    const acosf = Math.acos(Math.min(1, Math.max(-1, f)));
    t = rng.next() < 0.5 ? -acosf : acosf;
  }
  return wrapAngle(mu + t);
}

/** Reduces an angle to [−π, π). */
export function wrapAngle(x: number): number {
  const twoPi = 2 * Math.PI;
  let y = x - twoPi * Math.floor((x + Math.PI) / twoPi);
  if (y >= Math.PI) y -= twoPi;
  if (y < -Math.PI) y += twoPi;
  return y;
}

function inversegaussian(rng: Rng, a: ArrayLike<number>): number {
  const mu = a[0];
  const lam = a[1];
  if (!(mu > 0 && lam > 0) || mu === Infinity || lam === Infinity) return NaN;
  // Michael, Schucany & Haas (1976). The two roots x1·x2 = μ²; the larger one has no cancellation.
  const z = rng.normal();
  const y = z * z;
  const muy = mu * y;
  const big = mu + (mu * (muy + Math.sqrt(4 * lam * muy + muy * muy))) / (2 * lam);
  const small = (mu * mu) / big;
  return rng.next() * (mu + small) <= mu ? small : big;
}

function categorical(rng: Rng, a: ArrayLike<number>): number {
  const k = a.length;
  let total = 0;
  for (let i = 0; i < k; i++) {
    if (!(a[i] >= 0) || a[i] === Infinity) return NaN;
    total += a[i];
  }
  if (!(total > 0) || k < 2) return NaN;
  const u = rng.next() * total;
  let c = 0;
  for (let i = 0; i < k - 1; i++) {
    c += a[i];
    if (u < c) return i + 1;
  }
  return k;
}

function dirichlet(rng: Rng, a: ArrayLike<number>): Float64Array {
  const k = a.length;
  if (k < 2) return nanVec(k - 1);
  for (let i = 0; i < k; i++) if (!(a[i] > 0) || a[i] === Infinity) return nanVec(k - 1);
  const lg = new Float64Array(k);
  let m = -Infinity;
  for (let i = 0; i < k; i++) {
    lg[i] = logGammaVariate(rng, a[i]);
    if (lg[i] > m) m = lg[i];
  }
  let s = 0;
  for (let i = 0; i < k; i++) s += lg[i] = Math.exp(lg[i] - m);
  const out = new Float64Array(k - 1);
  for (let i = 0; i < k - 1; i++) out[i] = lg[i] / s;
  return out;
}

function mvnormal2(rng: Rng, a: ArrayLike<number>): Float64Array {
  const [mu1, mu2, s11, s12, s22] = [a[0], a[1], a[2], a[3], a[4]];
  const det = s11 * s22 - s12 * s12;
  if (!(s11 > 0 && det > 0) || !Number.isFinite(mu1) || !Number.isFinite(mu2) || !Number.isFinite(det)) return nanVec(2);
  const l11 = Math.sqrt(s11);
  const l21 = s12 / l11;
  const l22 = Math.sqrt(det / s11);
  const z1 = rng.normal();
  const z2 = rng.normal();
  const out = new Float64Array(2);
  out[0] = mu1 + l11 * z1;
  out[1] = mu2 + l21 * z1 + l22 * z2;
  return out;
}

/**
 * The built-in samplers, keyed exactly like {@link SAMPLER_ARITY} (a test checks this).
 * Each takes the generator and the argument list and returns one observation: a number, or a
 * Float64Array for dirichlet (first K−1 coordinates) and mvnormal2 ([x1, x2]).
 */
export const SAMPLERS: Readonly<Record<string, Sampler>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Sampler>, {
    normal,
    lognormal: (rng: Rng, a: ArrayLike<number>) => Math.exp(normal(rng, a)),
    gamma: (rng: Rng, a: ArrayLike<number>) => (a[1] > 0 && a[1] < Infinity ? gammaVariate(rng, a[0]) * (1 / a[1]) : NaN),
    beta: (rng: Rng, a: ArrayLike<number>) => betaVariate(rng, a[0], a[1]),
    exponential: (rng: Rng, a: ArrayLike<number>) => (a[0] > 0 && a[0] < Infinity ? rng.exponential() / a[0] : NaN),
    weibull: (rng: Rng, a: ArrayLike<number>) =>
      a[0] > 0 && a[1] > 0 && a[0] < Infinity && a[1] < Infinity ? a[1] * Math.pow(rng.exponential(), 1 / a[0]) : NaN,
    laplace: (rng: Rng, a: ArrayLike<number>) =>
      a[1] > 0 && a[1] < Infinity && Number.isFinite(a[0]) ? a[0] + a[1] * (rng.exponential() - rng.exponential()) : NaN,
    cauchy: (rng: Rng, a: ArrayLike<number>) =>
      a[1] > 0 && a[1] < Infinity && Number.isFinite(a[0]) ? a[0] + a[1] * Math.tan(Math.PI * (rng.nextOpen() - 0.5)) : NaN,
    studentt: (rng: Rng, a: ArrayLike<number>) => {
      const [nu, mu, sigma] = [a[0], a[1], a[2]];
      if (!(nu > 0 && sigma > 0) || !Number.isFinite(mu) || sigma === Infinity) return NaN;
      const z = rng.normal();
      if (nu === Infinity) return mu + sigma * z;
      const chi2 = 2 * gammaVariate(rng, nu / 2);
      return mu + (sigma * z) / Math.sqrt(chi2 / nu);
    },
    vonmises,
    inversegaussian,
    poisson: (rng: Rng, a: ArrayLike<number>) => poissonVariate(rng, a[0]),
    bernoulli: (rng: Rng, a: ArrayLike<number>) => (a[0] >= 0 && a[0] <= 1 ? (rng.next() < a[0] ? 1 : 0) : NaN),
    binomial: (rng: Rng, a: ArrayLike<number>) => binomialVariate(rng, a[0], a[1]),
    geometric: (rng: Rng, a: ArrayLike<number>) => {
      const p = a[0];
      if (!(p > 0 && p <= 1)) return NaN;
      if (p === 1) return 0;
      // P(K ≥ k) = (1−p)^k, so K = ⌊log U / log(1−p)⌋ with U in (0, 1).
      return Math.floor(Math.log(rng.nextOpen()) / Math.log1p(-p));
    },
    negbinomial: (rng: Rng, a: ArrayLike<number>) => {
      const [r, p] = [a[0], a[1]];
      if (!(r > 0 && p > 0 && p <= 1) || r === Infinity) return NaN;
      if (p === 1) return 0;
      // Gamma–Poisson mixture: λ ~ Gamma(shape r, rate p/(1−p)).
      return poissonVariate(rng, (gammaVariate(rng, r) * (1 - p)) / p);
    },
    categorical,
    dirichlet,
    mvnormal2,
  }),
);

/** The samplers of {@link SAMPLERS} whose draws are vectors (Float64Array) rather than numbers. */
export const VECTOR_SAMPLERS: ReadonlySet<string> = new Set(['dirichlet', 'mvnormal2']);

/**
 * null when `args` are valid for sampler `name` (arity and parameter domain), else a message.
 * @example checkSamplerArgs('gamma', [2, -1]) // returns 'gamma: rate must be > 0 (got -1)'
 */
export function checkSamplerArgs(name: string, args: ArrayLike<number>): string | null {
  if (!Object.hasOwn(SAMPLER_ARITY, name)) return `unknown sampler '${name}' (known: ${Object.keys(SAMPLER_ARITY).join(', ')})`;
  const arity = SAMPLER_ARITY[name];
  if (arity >= 0 && args.length !== arity) return `${name} takes ${arity} argument(s), got ${args.length}`;
  if (arity < 0 && args.length < 2) return `${name} takes at least 2 arguments, got ${args.length}`;
  for (let i = 0; i < args.length; i++) if (!Number.isFinite(args[i])) return `${name}: argument ${i + 1} is not finite (${args[i]})`;
  const pos = (i: number, what: string) => (args[i] > 0 ? null : `${name}: ${what} must be > 0 (got ${args[i]})`);
  const prob = (i: number, what: string, open0: boolean) =>
    (open0 ? args[i] > 0 : args[i] >= 0) && args[i] <= 1 ? null : `${name}: ${what} must be in ${open0 ? '(0' : '[0'}, 1] (got ${args[i]})`;
  switch (name) {
    case 'normal': case 'lognormal': return pos(1, 'sigma');
    case 'gamma': return pos(0, 'shape') ?? pos(1, 'rate');
    case 'beta': return pos(0, 'a') ?? pos(1, 'b');
    case 'exponential': return pos(0, 'rate');
    case 'weibull': return pos(0, 'k') ?? pos(1, 'lambda');
    case 'laplace': return pos(1, 'b');
    case 'cauchy': return pos(1, 'gamma');
    case 'studentt': return pos(0, 'nu') ?? pos(2, 'sigma');
    case 'vonmises': return args[1] >= 0 ? null : `${name}: kappa must be ≥ 0 (got ${args[1]})`;
    case 'inversegaussian': return pos(0, 'mu') ?? pos(1, 'lambda');
    case 'poisson': return args[0] >= 0 ? null : `${name}: lambda must be ≥ 0 (got ${args[0]})`;
    case 'bernoulli': return prob(0, 'p', false);
    case 'binomial':
      return Number.isInteger(args[0]) && args[0] >= 0 ? prob(1, 'p', false) : `${name}: n must be a non-negative integer (got ${args[0]})`;
    case 'geometric': return prob(0, 'p', true);
    case 'negbinomial': return pos(0, 'r') ?? prob(1, 'p', true);
    case 'categorical': {
      for (let i = 0; i < args.length; i++) if (args[i] < 0) return `${name}: p${i + 1} must be ≥ 0 (got ${args[i]})`;
      let s = 0;
      for (let i = 0; i < args.length; i++) s += args[i];
      return Math.abs(s - 1) <= 1e-9 ? null : `${name}: probabilities must sum to 1 (got ${s})`;
    }
    case 'dirichlet': {
      for (let i = 0; i < args.length; i++) if (!(args[i] > 0)) return `${name}: a${i + 1} must be > 0 (got ${args[i]})`;
      return null;
    }
    case 'mvnormal2':
      return args[2] > 0 && args[2] * args[4] - args[3] * args[3] > 0 ? null : `${name}: covariance [[s11, s12], [s12, s22]] must be positive definite`;
    default: return null;
  }
}

/**
 * Fills `out` with independent draws of the scalar sampler `name` (no allocation).
 * @throws RangeError for an unknown or vector-valued sampler.
 */
export function fillSamples(name: string, rng: Rng, args: ArrayLike<number>, out: Float64Array): Float64Array {
  const f = SAMPLERS[name];
  if (!f || VECTOR_SAMPLERS.has(name)) throw new RangeError(`no scalar sampler '${name}'`);
  const n = out.length;
  if (name === 'gamma' && args[0] >= 1 && args[0] < Infinity && args[1] > 0 && args[1] < Infinity) {
    // hoisted constants, no per-draw argument checks
    const d = args[0] - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    return rng.fillGamma(out, d, c, args[1]); // as SAMPLERS.gamma, bit for bit
  }
  for (let i = 0; i < n; i++) out[i] = f(rng, args) as number;
  return out;
}

/**
 * n independent draws from sampler `name`: a Float64Array for scalar samplers, an array of
 * Float64Array for the vector ones (dirichlet, mvnormal2).
 */
export function sampleMany(name: string, rng: Rng, args: ArrayLike<number>, n: number): Float64Array | Float64Array[] {
  const f = SAMPLERS[name];
  if (!f) throw new RangeError(`unknown sampler '${name}'`);
  if (VECTOR_SAMPLERS.has(name)) {
    const out: Float64Array[] = [];
    for (let i = 0; i < n; i++) out.push(f(rng, args) as Float64Array);
    return out;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(rng, args) as number;
  return out;
}
