/**
 * `infogeo region <family> --data file [--level 0.95] [--plot out.svg] [--points K] [--json]`: the
 * maximum-likelihood estimate from i.i.d. data and three confidence regions built from the geometry
 * (Wald ellipse, Fisher–Rao geodesic ball, likelihood-ratio region), traced for 2-parameter families.
 */
import { ConvergenceError, UsageError } from '../../core/errors.js';
import { fit } from '../../solve/optim/fit.js';
import { geodesicBallBoundary, likelihoodRatioBoundary, regionThreshold, waldBoundary, type RegionBoundary } from '../../solve/regions/confidenceRegions.js';
import { svgPlot } from '../../report/svgPlot.js';
import { namedValues, parseFlags, requireString } from '../args.js';
import { fmt, guardPoint, loadCompiled } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutputFile, writeFileAtomic } from '../outputFile.js';
import { readData, supportProblem } from './fit.js';

export const help = [
  'infogeo region <family|file.yaml> --data file.csv|file.json [--level 0.95] [--points K] [--plot out.svg] [--json]',
  '  Fits the family to the data (maximum likelihood) and traces, for a 2-parameter family, the boundaries of',
  '  three regions of asymptotic coverage `level`: Wald  n (θ−θ̂)ᵀ g(θ̂) (θ−θ̂) ≤ χ²₂, the Fisher–Rao ball',
  '  n d(θ̂, θ)² ≤ χ²₂, and the likelihood-ratio region 2(ℓ(θ̂) − ℓ(θ)) ≤ χ²₂ (K boundary points each, default 96).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { data: 'string', level: 'number', points: 'number', plot: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const level = (p.flags.level as number | undefined) ?? 0.95;
  if (!(level > 0 && level < 1)) throw new UsageError('--level must be in (0, 1)');
  const K = (p.flags.points as number | undefined) ?? 96;
  if (!Number.isInteger(K) || K < 8 || K > 4096) throw new UsageError('--points must be an integer between 8 and 4096');
  const plotPath = typeof p.flags.plot === 'string' ? checkOutputFile(p.flags.plot, '--plot', io.cwd) : undefined;
  const fam = loadCompiled(p.positional[0], io.cwd);
  const c = fam.compiled;
  if (c.dim !== 2) throw new UsageError(`region boundaries are traced for 2-parameter families; ${fam.spec.name} has ${c.dim}`);
  const data = readData(requireString(p, 'data'), c.variables, io.cwd);
  data.forEach((x, i) => {
    const problem = supportProblem(fam.spec.support, x);
    if (problem) throw new UsageError(`observation ${i + 1} is outside the support of ${fam.spec.name}: it ${problem}`);
  });
  const f = fit(c, data, { domains: fam.spec.params.map((q) => q.domain) });
  if (!f.converged) throw new ConvergenceError(`maximum-likelihood fit did not converge: ${f.message ?? ''}`);
  const hat = f.value;
  guardPoint(fam, hat, 'the estimate');
  const n = data.length;
  const logLik = (t: Float64Array) => {
    let s = 0;
    for (const x of data) s += c.logDensity(x, t);
    return s;
  };
  const chi = regionThreshold(2, level);
  const regions: RegionBoundary[] = [waldBoundary(c, hat, n, chi, K), geodesicBallBoundary(c, hat, n, chi, K), likelihoodRatioBoundary(c, logLik, hat, n, chi, K)];
  for (const r of regions) for (const pt of r.points) if (!pt.every(Number.isFinite)) throw new ConvergenceError(`a ${r.kind} boundary point is not finite`);
  const names = c.paramNames;
  const svg = plotPath !== undefined
    ? svgPlot(
        [
          ...regions.map((r) => ({ name: { wald: 'Wald ellipse', geodesic: 'Fisher–Rao ball', likelihood: 'likelihood ratio' }[r.kind], points: [...r.points, r.points[0]].map((q) => [q[0], q[1]] as const) })),
          { name: 'estimate', points: [[hat[0], hat[1]] as const], kind: 'scatter' as const },
        ],
        { title: `${Math.round(level * 1000) / 10}% confidence regions, ${fam.spec.name}, n = ${n}`, xLabel: names[0], yLabel: names[1] },
      )
    : null;
  const out = {
    family: fam.spec.name,
    params: names,
    n,
    level,
    estimate: namedValues(names, hat),
    threshold: chi,
    regions: Object.fromEntries(regions.map((r) => [r.kind, { boundary: r.points.map((q) => namedValues(names, q)), open_directions: r.open.length }])),
  };
  if (svg !== null && plotPath !== undefined) writeFileAtomic(plotPath, svg, '--plot');
  if (p.flags.json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`${fam.spec.name}: estimate ${names.map((nm, i) => `${nm}=${fmt(hat[i])}`).join(', ')} from n = ${n}; ${level * 100}% regions (χ²₂ = ${fmt(chi)})\n`);
  for (const r of regions) {
    const lo = [0, 1].map((i) => Math.min(...r.points.map((q) => q[i])));
    const hi = [0, 1].map((i) => Math.max(...r.points.map((q) => q[i])));
    io.out(`  ${r.kind.padEnd(11)} ${names[0]} ∈ [${fmt(lo[0])}, ${fmt(hi[0])}], ${names[1]} ∈ [${fmt(lo[1])}, ${fmt(hi[1])}]${r.open.length ? ` (open towards the domain boundary in ${r.open.length} directions)` : ''}\n`);
  }
  if (svg !== null) io.out(`plot written to ${p.flags.plot}\n`);
  return 0;
}
