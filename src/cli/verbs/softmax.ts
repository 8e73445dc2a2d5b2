/**
 * `infogeo softmax natgrad|train ...`: the compiled fast path for softmax regression.
 *
 *   infogeo softmax natgrad --case case.json --mode exact|kfac|diag|empirical|sampled --damping λ [--json]
 *   infogeo softmax train --dataset iris|synthetic --steps N [--methods sgd,adam,kfac,natgrad] [--out plot.svg] [--json]
 *
 * Conventions and the case.json format: docs/softmax.md (θ = vec_rowmajor([W | b])).
 */
import { resolve } from 'node:path';
import { DomainError, UsageError } from '../../core/errors.js';
import { readRegularFile } from '../../node/readRegularFile.js';
import { svgPlot } from '../../report/svgPlot.js';
import type { FisherMode } from '../../solve/softmax/curvatureApprox.js';
import { irisData, syntheticData, type NamedData } from '../../solve/softmax/datasets.js';
import { naturalGradient, trainableSoftmax } from '../../solve/softmax/naturalGradient.js';
import { Mlp, trainableMlp } from '../../solve/softmax/mlp.js';
import { checkSoftmaxRange, parseSoftmaxCase, SOFTMAX_LIMIT_FLOAT32, SOFTMAX_LIMIT_FLOAT64 } from '../../solve/softmax/softmaxCase.js';
import { SoftmaxRegression } from '../../solve/softmax/softmaxRegression.js';
import { DEFAULT_DAMPING, stepsToAccuracy, train, TRAIN_METHODS, type StepRecord, type TrainMethod } from '../../solve/softmax/train.js';
import { boundedInt, parseFlags, requireString } from '../args.js';
import { availableCores, useNodeThreads } from '../../node/softmaxThreads.js';
import { checkOutputFile, writeFileAtomic } from '../outputFile.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo softmax natgrad --case case.json --mode exact|kfac|diag|empirical|sampled --damping λ [options] [--json]',
  '  Loss, gradient and damped natural gradient of softmax regression at the case\'s W, b.',
  '  θ = vec_rowmajor([W | b]); exact: (F + λI)^{-1} g by conjugate gradient (--cg-tol, default 1e-12, 1e-6 for float32;',
  '  --cg-max-iter); sampled: Monte-Carlo true Fisher with --samples S labels per example (default 64) and --seed.',
  '  --dtype float32 runs the float32 storage path. --threads T: threads for the large products (default: the',
  '  available cores; results are bitwise identical for every T).',
  '',
  'infogeo softmax train --dataset iris|synthetic [--steps 100] [--methods sgd,adam,kfac,natgrad] [--hidden H]',
  '                      [--out plot.svg] [--damping λ (default 1e-3; 0.1 with --hidden)] [--seed s] [--threads T] [--no-progress] [--json]',
  '  Full-batch training from θ = 0 (small random weights with --hidden), one run per method; writes an',
  '  SVG plot of the training loss against steps with --out. Progress on stderr when it is a terminal.',
  '  Methods: ' + TRAIN_METHODS.join(', ') + ' (natgrad = exact natural gradient by CG).',
].join('\n');

const MODES: readonly FisherMode[] = ['exact', 'kfac', 'diag', 'empirical', 'sampled'];
/** --samples limit, and the most sampled rows N·S·C held by the sampled Fisher (8 bytes each: 800 MB). */
export const MAX_SAMPLES = 100_000;
export const MAX_SAMPLED_ENTRIES = 100_000_000;
/** Largest case file read (JSON). */
const MAX_CASE_BYTES = 256 * 1024 * 1024;
/** Default damping of `train --hidden H` (softmax regression uses DEFAULT_DAMPING = 1e-3). */
const MLP_DAMPING = 0.1;

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a === 0 ? '0' : a >= 1e-4 && a < 1e6 ? Number(v.toPrecision(8)).toString() : v.toExponential(6);
}

/** --threads (default: the available cores; worker threads start only for products large enough to split). */
function threadsFlag(v: unknown): number {
  useNodeThreads();
  return v === undefined ? availableCores() : boundedInt(v as number, 'threads', 1, 256);
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') return io.out(help + '\n'), sub ? 0 : 2;
  if (sub === 'natgrad') return runNatgrad(rest, io);
  if (sub === 'train') return runTrain(rest, io);
  throw new UsageError(`unknown subcommand '${sub}' (expected natgrad or train)\n${help}`);
}

async function runNatgrad(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, {
    case: 'string', mode: 'string', damping: 'number', 'cg-tol': 'number', 'cg-max-iter': 'number',
    samples: 'number', seed: 'number', dtype: 'string', threads: 'number', json: 'boolean', help: 'boolean',
  });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length) throw new UsageError(`unexpected argument '${p.positional[0]}'\n${help}`);
  const mode = requireString(p, 'mode') as FisherMode;
  if (!MODES.includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got '${mode}'`);
  const damping = p.flags.damping;
  if (typeof damping !== 'number') throw new UsageError('missing required option --damping');
  if (damping < 0 || (damping === 0 && mode !== 'exact')) {
    throw new UsageError(`--damping must be > 0 for mode ${mode}${mode === 'exact' ? '' : ' (≥ 0 only for exact)'}, got ${damping}`);
  }
  const dtype = (p.flags.dtype ?? 'float64') as string;
  if (dtype !== 'float64' && dtype !== 'float32') throw new UsageError(`--dtype must be float64 or float32, got '${dtype}'`);
  const samples = boundedInt(p.flags.samples ?? 64, 'samples', 1, MAX_SAMPLES);
  const cgMaxIter = p.flags['cg-max-iter'] === undefined ? undefined : boundedInt(p.flags['cg-max-iter'], 'cg-max-iter', 1, 10_000_000);
  const cgTol = (p.flags['cg-tol'] as number | undefined) ?? (dtype === 'float32' ? 1e-6 : 1e-12);
  if (!(cgTol > 0)) throw new UsageError('--cg-tol must be > 0');
  const path = resolve(io.cwd, requireString(p, 'case'));
  const text = readRegularFile(path, 'case file', MAX_CASE_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`case file ${path} is not valid JSON: ${String((e as Error).message).slice(0, 100)}`);
  }
  const c = parseSoftmaxCase(raw);
  if (mode === 'sampled' && c.data.N * samples * c.data.C > MAX_SAMPLED_ENTRIES) {
    throw new UsageError(`--samples ${samples} is too many for this case: N·samples·C = ${c.data.N}·${samples}·${c.data.C} is above ${MAX_SAMPLED_ENTRIES}`);
  }
  checkSoftmaxRange(c, dtype === 'float32' ? SOFTMAX_LIMIT_FLOAT32 : SOFTMAX_LIMIT_FLOAT64);
  const model = new SoftmaxRegression(c.data, { dtype, threads: threadsFlag(p.flags.threads) });
  const r = naturalGradient(model, c.theta, mode, damping, { cgTol, cgMaxIter, samples, seed: (p.flags.seed as number | undefined) ?? 0 });
  model.close();
  if (!r.natgrad.every(Number.isFinite)) {
    throw new DomainError(`the damped ${mode} Fisher is not positive definite at this point; increase --damping (got ${damping})`);
  }
  checkOutput({ loss: r.loss, grad: r.grad, natgrad: r.natgrad }, `softmax natgrad (${mode})`);
  const { C, D } = c.data;
  if (p.flags.json) {
    const out: Record<string, unknown> = {
      mode, damping, loss: r.loss, grad: Array.from(r.grad), natgrad: Array.from(r.natgrad),
      shape: { C, D, N: c.data.N, params: C * (D + 1), order: 'vec_rowmajor([W | b])' }, dtype,
    };
    if (r.cg) out.cg = r.cg;
    if (mode === 'sampled') out.sampled = { samples, seed: (p.flags.seed as number | undefined) ?? 0 };
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`softmax regression C=${C}, D=${D}, N=${c.data.N} (${C * (D + 1)} parameters, θ = vec_rowmajor([W | b]), ${dtype})\n`);
  io.out(`  loss         ${num(r.loss)}\n  ‖grad‖       ${num(norm(r.grad))}\n  ‖natgrad‖    ${num(norm(r.natgrad))}  (${mode}, λ = ${damping})\n`);
  if (r.cg) io.out(`  CG           ${r.cg.iterations} iterations, relative residual ${num(r.cg.residual)} (tol ${r.cg.tol})${r.cg.converged ? '' : '  NOT CONVERGED'}\n`);
  const rows = Math.min(C, 6);
  io.out('  natgrad as [W | b] rows:\n');
  for (let k = 0; k < rows; k++) {
    const row = Array.from(r.natgrad.subarray(k * (D + 1), (k + 1) * (D + 1)));
    const shown = row.length > 8 ? [...row.slice(0, 7).map(num), '…', num(row[row.length - 1])] : row.map(num);
    io.out(`    [${shown.join(', ')}]\n`);
  }
  if (rows < C) io.out(`    … ${C - rows} more rows (use --json)\n`);
  return 0;
}

/** One-line progress bar, redrawn in place. */
function progressLine(method: string, r: StepRecord, steps: number): string {
  const width = 24;
  const done = Math.round((r.step / Math.max(1, steps)) * width);
  return `\r${method.padEnd(9)} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(r.step).padStart(String(steps).length)}/${steps}  loss ${num(r.loss).padEnd(10)} acc ${(100 * r.accuracy).toFixed(1)}%  ${(r.ms / 1000).toFixed(2)} s`;
}

async function runTrain(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, {
    dataset: 'string', steps: 'number', methods: 'string', out: 'string', damping: 'number', hidden: 'number',
    seed: 'number', threads: 'number', 'no-progress': 'boolean', json: 'boolean', help: 'boolean',
  });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length) throw new UsageError(`unexpected argument '${p.positional[0]}'\n${help}`);
  const which = requireString(p, 'dataset');
  const seed = (p.flags.seed as number | undefined) ?? 1;
  let data: NamedData;
  if (which === 'iris') data = irisData();
  else if (which === 'synthetic') data = syntheticData(undefined, undefined, undefined, seed);
  else throw new UsageError(`--dataset must be iris or synthetic, got '${which}'`);
  const steps = (p.flags.steps as number | undefined) ?? 100;
  if (!Number.isInteger(steps) || steps < 1 || steps > 100000) throw new UsageError(`--steps must be an integer in 1..100000, got ${steps}`);
  const methods = ((p.flags.methods as string | undefined) ?? 'sgd,adam,kfac,natgrad').split(',').map((s) => s.trim()) as TrainMethod[];
  for (const m of methods) if (!TRAIN_METHODS.includes(m)) throw new UsageError(`unknown method '${m}' in --methods (known: ${TRAIN_METHODS.join(', ')})`);
  const hidden = (p.flags.hidden as number | undefined) ?? 0;
  if (!Number.isInteger(hidden) || hidden < 0 || hidden > 4096) throw new UsageError(`--hidden must be an integer in 0..4096 (0 = softmax regression), got ${hidden}`);
  // MLPs need more damping: the Gauss–Newton step of a nonlinear model is trusted less far.
  const damping = (p.flags.damping as number | undefined) ?? (hidden > 0 ? MLP_DAMPING : DEFAULT_DAMPING);
  if (!(damping > 0)) throw new UsageError(`--damping must be > 0, got ${damping}`);
  const threads = threadsFlag(p.flags.threads);
  const json = p.flags.json === true;
  const progress = !json && !p.flags['no-progress'] && process.stderr.isTTY === true;
  const outPath = typeof p.flags.out === 'string' ? checkOutputFile(p.flags.out, '--out', io.cwd) : undefined;

  const arch = hidden > 0 ? `MLP ${data.D}-${hidden}-${data.C} (tanh)` : 'softmax regression';
  const results: Record<string, { history: StepRecord[]; stepsTo95: number }> = {};
  for (const method of methods) {
    let model, theta0: Float64Array;
    let softmax: SoftmaxRegression | null = null;
    if (hidden > 0) {
      const mlp = new Mlp(data, [hidden]);
      model = trainableMlp(mlp);
      theta0 = mlp.initialParams(seed);
    } else {
      softmax = new SoftmaxRegression(data, { threads });
      model = trainableSoftmax(softmax);
      theta0 = new Float64Array(model.dim);
    }
    // Redraw at most every 50 ms (and always at the first and last step).
    let last = -Infinity;
    const onStep = progress ? (r: StepRecord) => {
      if (r.step === 0 || r.step === steps || r.ms - last >= 50) {
        last = r.ms;
        io.err(progressLine(method, r, steps));
      }
    } : undefined;
    const r = train(model, theta0, { method, steps, damping, onStep });
    softmax?.close();
    if (progress) io.err('\n');
    results[method] = { history: r.history, stepsTo95: stepsToAccuracy(r.history, 0.95) };
  }
  let plotPath: string | undefined;
  if (outPath !== undefined) {
    const svg = svgPlot(
      methods.map((m) => ({ name: m, points: results[m].history.map((h) => [h.step, h.loss] as const) })),
      { title: `${arch} on ${data.name}: training loss`, xLabel: 'step', yLabel: 'mean cross-entropy', logY: true },
    );
    plotPath = writeFileAtomic(outPath, svg, '--out');
  }
  if (json) {
    io.out(JSON.stringify({
      dataset: data.name, model: arch, N: data.N, D: data.D, C: data.C, steps, damping,
      methods: Object.fromEntries(methods.map((m) => {
        const h = results[m].history;
        const last = h[h.length - 1];
        return [m, {
          final_loss: last.loss, final_accuracy: last.accuracy, steps_to_95: results[m].stepsTo95, ms: last.ms,
          loss: h.map((x) => x.loss), accuracy: h.map((x) => x.accuracy),
        }];
      })),
      plot: plotPath ?? null,
    }) + '\n');
    return 0;
  }
  io.out(`${arch} on ${data.name} (N=${data.N}, D=${data.D}, C=${data.C}), ${steps} full-batch steps, damping ${damping}\n`);
  io.out(`  ${'method'.padEnd(10)}${'final loss'.padEnd(14)}${'train acc'.padEnd(11)}${'steps→95%'.padEnd(11)}time\n`);
  for (const m of methods) {
    const h = results[m].history;
    const last = h[h.length - 1];
    io.out(`  ${m.padEnd(10)}${num(last.loss).padEnd(14)}${((100 * last.accuracy).toFixed(1) + '%').padEnd(11)}${String(results[m].stepsTo95 < 0 ? '—' : results[m].stepsTo95).padEnd(11)}${(last.ms / 1000).toFixed(2)} s\n`);
  }
  if (plotPath) io.out(`  plot: ${plotPath}\n`);
  return 0;
}
