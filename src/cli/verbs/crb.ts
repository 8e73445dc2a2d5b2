/**
 * `infogeo crb <family> --at name=value,... --n N --trials T --seed S [--json]`: Monte Carlo check
 * of the Cramér–Rao bound F(θ)⁻¹/N against the empirical covariance of the MLE over T trials.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { crb, prestartCrbWorkers, type CrbResult } from '../../solve/crb/crb.js';
import { crbSetup } from '../../solve/crb/crbSetup.js';
import { PALETTE, svgPlot, type PlotSeries } from '../../report/svgPlot.js';
import { boundedInt, parseDecimal, parseFlags, requireString, workerCount } from '../args.js';
import { checkOutputFile, writeFileAtomic } from '../outputFile.js';
import { fmt, loadCompiled, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { isModelArgument } from '../model.js';
import { checkOutput } from '../outputCheck.js';

/** Largest sample size and trial count: a sample is held in memory (8 bytes a value) and every trial is run. */
export const MAX_N = 10_000_000;
export const MAX_TRIALS = 1_000_000;
/** Hard cap of --workers, even with --force-workers (each worker costs ≈ 36 MB and a start-up of ≈ 0.1 s of CPU). */
export const MAX_WORKERS = 64;
/**
 * --workers auto uses every core from this many draws (N·T) on: a thread costs ≈ 0.1–0.2 s of CPU to
 * boot (Node's own worker bootstrap is most of it) and boots while the family loads, and the
 * cheapest trials (gamma on sufficient statistics) cost ≈ 35 ns a draw, so from ≈ 0.7 s of work the
 * second core saves clearly more wall time than the thread costs; a family the workers must rebuild
 * through the declare → derive → compile pipeline (no portable code) needs 10× more.
 */
export const AUTO_WORKERS_DRAWS = 2e7;

export const help = `infogeo crb <family|file.yaml> --at name=value,... --n N [--trials T] [--seed S] [options] [--json]
  Cramér–Rao check: T samples of size N at θ, the MLE of each (the family's declared mle: closed
  form, else Fisher scoring — on the mean sufficient statistic for exponential families), empirical
  covariance vs the bound F(θ)⁻¹/N, efficiency bound_ii/var_ii with confidence intervals. Samples come
  from the declared sampler, else the generic inversion sampler (one variable).
options:
  --trials T         Monte Carlo trials (default 500)
  --seed S           non-negative integer seed (default 1); trial t uses stream (S, t)
  --workers W|auto   threads incl. the main one (default auto: 1 unless N·T ≥ 2e7 draws, else all cores;
                     at most the number of cores unless --force-workers, and never more than ${MAX_WORKERS})
  --confidence C     level of the efficiency intervals (default 0.95)
  --fn EXPR          also a function of the parameters by the delta method, e.g. --fn "alpha/beta"
  --plot out.svg     variance of each θ̂_i vs n against the bound (log-log), n = N/16 .. N
  --ns n1,n2,...     sample sizes for --plot (default N/16, N/8, N/4, N/2, N)
  --force-workers    allow more workers than cores`;

const SPEC = {
  at: 'string', n: 'number', trials: 'number', seed: 'number', workers: 'string', confidence: 'number',
  fn: 'string', plot: 'string', ns: 'string', json: 'boolean', help: 'boolean', 'force-workers': 'boolean',
} as const;


/** Strips the raw estimate arrays (not part of the JSON output). */
function jsonOf(r: CrbResult): Record<string, unknown> {
  const { estimates: _e, ok: _o, ...rest } = r;
  return rest;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  // A model file (covariates and a design): see modelCrb.ts.
  if (args.some((a) => isModelArgument(a, io.cwd))) return (await import('./modelCrb.js')).run(args, io);
  const p = parseFlags(args, SPEC);
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const json = p.flags.json === true;
  // Worker threads boot while the family loads (validated again below; a wrong guess only leaves
  // idle threads that never keep the process alive).
  const cores = availableParallelism();
  const early = p.flags.workers === undefined || p.flags.workers === 'auto'
    ? (Number(p.flags.n) * Number(p.flags.trials ?? 500) >= AUTO_WORKERS_DRAWS ? cores : 1)
    : Math.min(Number(p.flags.workers), cores, MAX_WORKERS);
  if (early > 1 && Number.isInteger(early)) prestartCrbWorkers(early - 1);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const theta = pointOf(fam, requireString(p, 'at'), '--at');
  const n = boundedInt(p.flags.n, 'n', 1, MAX_N);
  const trials = boundedInt(p.flags.trials ?? 500, 'trials', 1, MAX_TRIALS);
  if (trials < 3) throw new UsageError('--trials must be at least 3');
  const seedFlag = p.flags.seed ?? 1;
  if (typeof seedFlag !== 'number' || !Number.isSafeInteger(seedFlag) || seedFlag < 0) throw new UsageError('--seed must be a non-negative integer');
  const seed = seedFlag;
  const confidence = (p.flags.confidence as number | undefined) ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new UsageError('--confidence must be in (0, 1)');
  const workersFlag = (p.flags.workers as string | undefined) ?? 'auto';
  let workers = workersFlag === 'auto' ? 1 : workerCount(workersFlag, availableParallelism(), MAX_WORKERS, p.flags['force-workers'] === true);
  const fn = p.flags.fn as string | undefined;
  const plotFile = p.flags.plot as string | undefined;
  const plotPath = plotFile !== undefined ? checkOutputFile(plotFile, '--plot', io.cwd) : undefined;
  const ns = plotFile !== undefined && p.flags.ns
    ? String(p.flags.ns).split(',').map((s) => boundedInt(parseDecimal(s.trim()) ?? NaN, 'ns', 1, MAX_N))
    : undefined;

  let setup;
  try {
    setup = crbSetup(fam.spec, fam.compiled, theta);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // The compiled family serves the main thread; workers rebuild the model only when needed.
  const model = fam.compiled;
  // auto: see AUTO_WORKERS_DRAWS (≈ 5 s more per thread when it must rebuild the family: mathjs).
  const threshold = setup.modelSource?.kind === 'family' ? 10 * AUTO_WORKERS_DRAWS : AUTO_WORKERS_DRAWS;
  if (workersFlag === 'auto' && trials * n >= threshold) workers = availableParallelism();
  if (setup.modelSource?.kind === 'family') setup = { ...setup, modelSource: { ...setup.modelSource, cwd: io.cwd } };
  if (fn) {
    try {
      const { paramFunction } = await import('../../solve/crb/deltaMethod.js');
      paramFunction(fn, setup.paramNames, setup.constants).value(setup.theta);
    } catch (e) {
      throw new UsageError(`--fn: ${(e as Error).message}`);
    }
  }

  const tty = !json && Boolean(process.stderr.isTTY);
  const progress = (label: string) =>
    tty
      ? (done: number, total: number) => {
          const w = 30;
          const k = Math.round((done / total) * w);
          io.err(`\r${label} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${Math.round((100 * done) / total)}% ${done}/${total}`);
          if (done === total) io.err('\n');
        }
      : undefined;

  const result = await crb(setup, model, { n, trials, seed, workers, confidence, fn, onProgress: progress(`n=${n}`) });
  const out: Record<string, unknown> = jsonOf(result);

  let svg: string | undefined;
  if (plotPath !== undefined) {
    const sizes = ns ?? [...new Set([16, 8, 4, 2, 1].map((k) => Math.max(2, Math.round(n / k))))];
    const curve: { n: number; variance: number[]; bound: number[] }[] = [];
    for (const m of sizes) {
      const r = m === n ? result : await crb(setup, model, { n: m, trials, seed, workers, confidence, onProgress: progress(`n=${m}`) });
      curve.push({ n: m, variance: r.empirical_cov.map((row, i) => row[i]), bound: r.bound.map((row, i) => row[i]) });
    }
    const series: PlotSeries[] = [];
    setup.paramNames.forEach((name, i) => {
      const color = PALETTE[i % PALETTE.length];
      series.push({ name: `${name}: Monte Carlo variance of the MLE`, points: curve.map((c) => [Math.log10(c.n), c.variance[i]] as const), kind: 'both', color });
      series.push({ name: `${name}: CRB (F⁻¹)ᵢᵢ / n`, points: curve.map((c) => [Math.log10(c.n), c.bound[i]] as const), dash: '6 3', color });
    });
    svg = svgPlot(series, {
      title: `${fam.spec.name}: variance of the MLE vs the Cramér–Rao bound (${trials} trials per n)`,
      xLabel: 'log₁₀ n',
      yLabel: 'variance',
      logY: true,
    });
    out.plot = { file: plotPath, curve };
  }

  checkOutput(out, `crb of ${fam.spec.name}`);
  // Written only now that every part of the work has succeeded.
  if (plotPath !== undefined && svg !== undefined) writeFileAtomic(plotPath, svg, '--plot');

  if (json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  const names = setup.paramNames;
  io.out(`Cramér–Rao check for ${fam.spec.name} at ${names.map((nm, i) => `${nm}=${theta[i]}`).join(', ')}: n=${n}, ${trials} trials, seed ${seed}\n`);
  const how = result.method === 'fisher-scoring' ? ` (mean ${result.mean_iterations.toFixed(1)} iterations, on the ${result.likelihood === 'sufficient-statistics' ? 'mean sufficient statistic' : 'data'})` : '';
  io.out(`MLE: ${result.method}${how}; failed trials: ${result.failed_trials}; sampler ${result.sampler.method}${result.sampler.args.length ? `(${result.sampler.args.map(fmt).join(', ')})` : ''}\n\n`);
  const header = ['param', 'bound F⁻¹/n', 'empirical var', `efficiency [${Math.round(confidence * 100)}% CI]`, 'bias'];
  const rows = names.map((nm, i) => [
    nm,
    fmt(result.bound[i][i]),
    fmt(result.empirical_cov[i][i]),
    `${result.efficiency[i].toFixed(3)} [${result.efficiency_ci[i][0].toFixed(3)}, ${result.efficiency_ci[i][1].toFixed(3)}]`,
    fmt(result.bias[i]),
  ]);
  const f = result.function;
  if (f) rows.push([f.expr, fmt(f.bound), fmt(f.empirical_var), `${f.efficiency.toFixed(3)} [${f.efficiency_ci[0].toFixed(3)}, ${f.efficiency_ci[1].toFixed(3)}]`, fmt(f.bias)]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd() + '\n';
  io.out(line(header));
  rows.forEach((r) => io.out(line(r)));
  if (f) io.out(`\n${f.expr}: delta-method bound ∇gᵀ(F⁻¹/n)∇g with ∇g = [${f.gradient.map(fmt).join(', ')}] (${f.gradient_method})\n`);
  if (out.plot) io.out(`\nplot written to ${(out.plot as { file: string }).file}\n`);
  return 0;
}
