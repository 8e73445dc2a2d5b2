/**
 * `infogeo mean <family> --points "name=v,...;name=v,..." [--weights w1,w2,...] [--json]`: the Fréchet
 * (Karcher) mean of points under the Fisher–Rao distance.
 */
import { UsageError } from '../../core/errors.js';
import { frechetMean } from '../../solve/geodesic/frechetMean.js';
import { namedValues, parseDecimal, parseFlags, requireString } from '../args.js';
import { pointList } from '../dual.js';
import { fmt, loadCompiled } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo mean <family|file.yaml> --points "name=value,...;name=value,..." [--weights w1,w2,...] [--json]',
  '  Fréchet (Karcher) mean: the point minimising ½ Σ w_i d(x, p_i)² (d the Fisher–Rao distance), by Riemannian',
  '  gradient descent x ← exp_x(τ Σ w_i log_x p_i). Prints the mean, the Riemannian gradient norm reached and',
  '  the Fréchet variance.',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { points: 'string', weights: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const c = fam.compiled;
  const points = pointList(fam, requireString(p, 'points'), '--points');
  let weights: number[] | undefined;
  if (typeof p.flags.weights === 'string') {
    weights = p.flags.weights.split(',').map((s, i) => {
      const w = s.trim();
      const v = parseDecimal(w);
      if (v === null || v < 0 || w.startsWith('-')) throw new UsageError(`--weights entry ${i + 1} must be a non-negative finite decimal number, got '${w.slice(0, 30)}'`);
      return v;
    });
    if (weights.length !== points.length) throw new UsageError(`--weights has ${weights.length} entries for ${points.length} points`);
    if (!(weights.reduce((a, b) => a + b, 0) > 0)) throw new UsageError('--weights must have a positive sum');
  }
  const r = frechetMean(c, points, { weights });
  const out = { family: fam.spec.name, params: c.paramNames, mean: namedValues(c.paramNames, r.mean), gradient_norm: r.gradientNorm, variance: r.variance, iterations: r.iterations, points: points.length };
  checkOutput(out, 'mean');
  if (p.flags.json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`Fréchet mean of ${points.length} points in ${fam.spec.name} (${r.iterations} iterations, gradient norm ${r.gradientNorm.toExponential(2)})\n`);
  c.paramNames.forEach((nm, i) => io.out(`  ${nm.padEnd(10)} ${fmt(r.mean[i]).padStart(20)}\n`));
  io.out(`  Fréchet variance ½ Σ w d² = ${fmt(r.variance)}\n`);
  return 0;
}
