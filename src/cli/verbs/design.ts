/**
 * `infogeo design <model.yaml> --at ... --region "x = 0..10" [--criterion D|A|E] [--plot out.svg] [--json]`:
 * a locally optimal approximate design with its equivalence-theorem check.
 */
import { DomainError, UsageError } from '../../core/errors.js';
import { optimalDesign, sensitivityFunction, type DesignCriterion } from '../../solve/design/optimalDesign.js';
import { svgPlot, type Point } from '../../report/svgPlot.js';
import { parseFlags, parseParams, requireString } from '../args.js';
import { fmt } from '../family.js';
import { checkOutputFile, writeFileAtomic } from '../outputFile.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';
import { loadModel } from '../model.js';

export const help = [
  'infogeo design <model.yaml> --at name=value,... --region "x = lo..hi[; t = lo..hi]" [--criterion D|A|E] [--plot out.svg] [--json]',
  '  Locally optimal approximate design at the parameter guess --at over the covariate box --region:',
  '  D maximises log det M, A minimises tr M⁻¹, E maximises λ_min(M) (through Kiefer\'s φ_64). Prints support points',
  '  and weights and the equivalence-theorem check: the sensitivity d(z) must stay ≤ its bound on the region, with',
  '  equality at the support points. --plot draws d(z) and the bound (one covariate).',
].join('\n');

function parseRegion(text: string, covariates: readonly string[]): { lo: number[]; hi: number[] } {
  const lo: number[] = [];
  const hi: number[] = [];
  const items = new Map<string, string>();
  for (const part of text.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new UsageError(`--region item '${part.slice(0, 40)}' must be name = lo..hi`);
    items.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const c of covariates) {
    const r = items.get(c);
    const m = r === undefined ? null : /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*\.\.\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(r);
    if (!m) throw new UsageError(`--region must give ${c} = lo..hi with decimal numbers`);
    lo.push(Number(m[1]));
    hi.push(Number(m[2]));
  }
  for (const k of items.keys()) if (!covariates.includes(k)) throw new UsageError(`--region names '${k.slice(0, 30)}', which is not a covariate`);
  return { lo, hi };
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { at: 'string', region: 'string', criterion: 'string', plot: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one model argument\n${help}`);
  const criterion = ((p.flags.criterion as string | undefined) ?? 'D') as DesignCriterion;
  if (!['D', 'A', 'E'].includes(criterion)) throw new UsageError('--criterion must be D, A or E');
  const plotPath = typeof p.flags.plot === 'string' ? checkOutputFile(p.flags.plot, '--plot', io.cwd) : undefined;
  const m = loadModel(p.positional[0], io.cwd);
  const c = m.compiled;
  const theta = parseParams(requireString(p, 'at'), c.paramNames, '--at');
  const bad = c.checkPoint(theta);
  if (bad) throw new DomainError(`--at is outside the domain of ${m.spec.name}: ${bad}`);
  const region = parseRegion(requireString(p, 'region'), c.covariates);
  const r = optimalDesign(c, theta, region, { criterion });
  const cov = c.covariates;
  const support: Record<string, number>[] = Array.from({ length: r.design.size }, (_, k) => ({
    ...Object.fromEntries(cov.map((nm, j) => [nm, r.design.points[k * cov.length + j]])),
    weight: r.design.weights[k],
  }));
  let svg: string | null = null;
  if (typeof p.flags.plot === 'string') {
    if (cov.length !== 1) throw new UsageError('--plot draws the sensitivity function of one covariate');
    const buf = new Float64Array(c.dim * c.dim);
    // d(z) on a grid, through the same sensitivity as the equivalence check
    const pts: Point[] = [];
    const K = 400;
    const d = sensitivityFunction(c, theta, r.design, criterion);
    for (let i = 0; i <= K; i++) {
      const x = region.lo[0] + ((region.hi[0] - region.lo[0]) * i) / K;
      pts.push([x, d(c.pointFisher(x, theta, buf))]);
    }
    svg = svgPlot(
      [
        { name: 'sensitivity d(z)', points: pts },
        { name: 'bound', points: [[region.lo[0], r.check.bound], [region.hi[0], r.check.bound]], dash: '6 3' },
        { name: 'support points', points: support.map((s) => [s[cov[0]], r.check.bound] as Point), kind: 'scatter' },
      ],
      { title: `${criterion}-optimal design for ${m.spec.name}: equivalence check`, xLabel: cov[0], yLabel: 'd(z)' },
    );
  }
  const out = { model: m.spec.name, criterion, at: Object.fromEntries(c.paramNames.map((nm, i) => [nm, theta[i]])), support, value: r.value, equivalence: { max_sensitivity: r.check.maxSensitivity, bound: r.check.bound, relative_gap: r.check.gap, at_support: r.check.atSupport, argmax: r.check.argmax } };
  checkOutput(out, 'design'); // before writing the plot: no output file after an error
  if (svg !== null && plotPath !== undefined) writeFileAtomic(plotPath, svg, '--plot');
  if (p.flags.json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`${criterion}-optimal approximate design for ${m.spec.name} at ${c.paramNames.map((nm, i) => `${nm}=${theta[i]}`).join(', ')}\n`);
  for (const s of support) io.out(`  ${cov.map((nm) => `${nm} = ${fmt(s[nm])}`).join(', ')}   weight ${fmt(s.weight)}\n`);
  io.out(`equivalence check: max d(z) = ${fmt(r.check.maxSensitivity)}, bound ${fmt(r.check.bound)} (relative gap ${r.check.gap.toExponential(2)})\n`);
  return 0;
}
