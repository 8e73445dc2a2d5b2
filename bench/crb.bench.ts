/**
 * Cramér–Rao Monte Carlo benchmarks (prints JSON):
 *  - sampler throughput (draws per second for every built-in sampler);
 *  - `crb gamma --n 1000` trials per second in-process (declared sampler, Fisher scoring on the
 *    mean sufficient statistic) side by side with a vectorised numpy Newton loop on sufficient
 *    statistics (bench/crb_gamma_numpy.py, Debian /usr/bin/python3), median of repeats, as wall
 *    time AND CPU time per trial (the machine may be shared: CPU time is the fair comparison);
 *  - worker threads: wall-clock and CPU time for 1 and 2 workers at n = 200 × 2000 trials and at
 *    n = 1000 × 8000, with the estimates checked bitwise identical.
 * `INFOGEO_BENCH_REPEATS` sets the number of repeats (default 5).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLERS, createRng } from '../src/core/random.js';
import { loadFamily } from '../src/node/loadFamily.js';
import { deriveFamily } from '../src/derive/deriveFamily.js';
import { compileFamily } from '../src/compile/compileFamily.js';
import { crb } from '../src/solve/crb/crb.js';
import { crbSetup } from '../src/solve/crb/crbSetup.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.INFOGEO_BENCH_REPEATS ?? 5);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
const round = (x: number, d = 3) => Number(x.toPrecision(d));

const ARGS: Record<string, number[]> = {
  normal: [1, 2], lognormal: [0, 0.5], gamma: [2.5, 1], beta: [2, 3], exponential: [2], weibull: [1.5, 2],
  laplace: [0, 1], cauchy: [0, 1], studentt: [5, 0, 1], vonmises: [1, 2], inversegaussian: [1, 3], poisson: [30],
  bernoulli: [0.3], binomial: [10, 0.4], geometric: [0.2], negbinomial: [5, 0.4], categorical: [0.2, 0.3, 0.5],
  dirichlet: [1, 2, 3], mvnormal2: [0, 1, 2, 0.5, 1],
};
const samplers: Record<string, number> = {};
for (const [name, args] of Object.entries(ARGS)) {
  const rng = createRng(1);
  const f = SAMPLERS[name];
  const N = 200_000;
  for (let i = 0; i < 20_000; i++) f(rng, args);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) f(rng, args);
  samplers[name] = Math.round(N / ((performance.now() - t0) / 1000));
}

const load = (name: string) => {
  const spec = loadFamily(name);
  return { spec, compiled: compileFamily(deriveFamily(spec)) };
};
const gamma = load('gamma');
const theta = [2, 1.5];
const setup = crbSetup(gamma.spec, gamma.compiled, theta);

/** One timed crb run: wall trials/s and process CPU µs per trial (worker threads included). */
async function timed(n: number, trials: number, workers: number, seed = 1) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await crb(setup, gamma.compiled, { n, trials, seed, workers });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { rate: trials / wall, wallMs: wall * 1000, cpuUsPerTrial: (c.user + c.system) / trials, r };
}

// --- crb gamma --n 1000 vs numpy
await timed(1000, 300, 1); // warm-up (JIT)
const ours = [];
for (let k = 0; k < REPEATS; k++) ours.push(await timed(1000, 2000, 1, k + 1));
const py = spawnSync('/usr/bin/python3', [join(here, 'crb_gamma_numpy.py'), '2', '1.5', '1000', '2000', String(REPEATS)], { encoding: 'utf8' });
let numpy: { trials_per_s: number[]; cpu_us_per_trial: number[]; numpy: string } | null = null;
try {
  numpy = JSON.parse(py.stdout.trim().split('\n').pop() ?? 'null');
} catch {
  numpy = null;
}
const oursRate = median(ours.map((o) => o.rate));
const oursCpu = median(ours.map((o) => o.cpuUsPerTrial));
const gammaVsNumpy = {
  n: 1000,
  trials: 2000,
  repeats: REPEATS,
  likelihood: ours[0].r.likelihood,
  mean_iterations: ours[0].r.mean_iterations,
  infogeo_trials_per_s: Math.round(oursRate),
  infogeo_cpu_us_per_trial: round(oursCpu),
  numpy_trials_per_s: numpy ? Math.round(median(numpy.trials_per_s)) : null,
  numpy_cpu_us_per_trial: numpy ? round(median(numpy.cpu_us_per_trial)) : null,
  numpy_version: numpy?.numpy ?? null,
  ratio_wall: numpy ? round(oursRate / median(numpy.trials_per_s)) : null,
  ratio_cpu: numpy ? round(median(numpy.cpu_us_per_trial) / oursCpu) : null,
  ...(numpy ? {} : { numpy_error: (py.stderr || String(py.error)).slice(0, 300) }),
};

// --- worker threads
async function workersRun(n: number, trials: number) {
  const out: Record<string, number | boolean> = { n, trials };
  let ref: Float64Array | null = null;
  let identical = true;
  for (const w of [1, 2]) {
    const runs = [];
    for (let k = 0; k < Math.max(1, Math.min(REPEATS, 3)); k++) runs.push(await timed(n, trials, w));
    out[`workers_${w}_wall_ms`] = Math.round(median(runs.map((o) => o.wallMs)));
    out[`workers_${w}_cpu_us_per_trial`] = round(median(runs.map((o) => o.cpuUsPerTrial)));
    const est = runs[0].r.estimates;
    if (ref) identical &&= est.every((v, i) => Object.is(v, ref![i]));
    else ref = est;
  }
  out.speedup_wall = round((out.workers_1_wall_ms as number) / (out.workers_2_wall_ms as number));
  out.identical = identical;
  return out;
}

console.log(
  JSON.stringify({
    cores: availableParallelism(),
    module: import.meta.url.endsWith('.ts') ? 'typescript sources (workers load tsx: ≈1 s start-up each)' : 'compiled javascript',
    samplers_draws_per_s: samplers,
    crb_gamma_vs_numpy: gammaVsNumpy,
    workers_n200_t2000: await workersRun(200, 2000),
    workers_n1000_t8000: await workersRun(1000, 8000),
  }),
);
