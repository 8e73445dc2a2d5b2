/**
 * `infogeo crb <model.yaml> --at ... [--design D] [--trials T] [--seed S] [--confidence c] [--json]`:
 * Monte-Carlo check of the Cramér–Rao bound I(θ)⁻¹ of a design for a model with covariates.
 */
import { DomainError, UsageError } from '../../core/errors.js';
import { modelCrb } from '../../solve/design/modelCrb.js';
import { boundedInt, namedValues, parseFlags, parseParams, requireString } from '../args.js';
import { fmt, nest2 } from '../family.js';
import type { CliIO } from '../io.js';
import { designArgument, loadModel } from '../model.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo crb <model.yaml> --at name=value,... [--design "x = 0..1:11; weights = …"] [--trials 500] [--seed 1] [--confidence 0.95] [--json]',
  '  Simulates the model at the design (w_k observations at each point z_k), fits θ by maximum likelihood in each',
  '  trial and compares the empirical covariance with the design\'s Cramér–Rao bound I(θ)⁻¹ (efficiency with CIs).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { at: 'string', design: 'string', trials: 'number', seed: 'number', confidence: 'number', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one model argument\n${help}`);
  const trials = boundedInt(p.flags.trials ?? 500, 'trials', 10, 100000);
  const seed = boundedInt(p.flags.seed ?? 1, 'seed', 0, 2 ** 31 - 1);
  const confidence = (p.flags.confidence as number | undefined) ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new UsageError('--confidence must be in (0, 1)');
  const m = loadModel(p.positional[0], io.cwd);
  const c = m.compiled;
  const theta = parseParams(requireString(p, 'at'), c.paramNames, '--at');
  const bad = c.checkPoint(theta) ?? null;
  if (bad) throw new DomainError(`--at is outside the domain of ${m.spec.name}: ${bad}`);
  const design = designArgument(p.flags.design as string | undefined, m.spec, io.cwd);
  const off = c.checkDesign(design, theta);
  if (off) throw new DomainError(off);
  const r = modelCrb(c, m.spec.family, design, theta, trials, seed, confidence);
  const s = r.stats;
  checkOutput({ params: c.paramNames, bound: nest2(r.bound, c.dim), empirical_cov: s.cov, efficiency: s.efficiency, efficiency_ci: s.efficiencyCi }, `crb of ${m.spec.name}`);
  if (p.flags.json) {
    io.out(JSON.stringify({ model: m.spec.name, params: c.paramNames, at: namedValues(c.paramNames, theta), observations: design.weights.reduce((a, b) => a + b, 0), trials, failed: r.failed, bound: nest2(r.bound, c.dim), empirical_cov: s.cov, bias: s.bias, efficiency: s.efficiency, efficiency_ci: s.efficiencyCi, confidence }) + '\n');
    return 0;
  }
  io.out(`Cramér–Rao check of ${m.spec.name} over ${design.size} design points, ${trials} trials (${r.failed} failed)\n`);
  c.paramNames.forEach((nm, i) => io.out(`  ${nm.padEnd(8)} bound ${fmt(r.bound[i * c.dim + i]).padStart(16)}  variance ${fmt(s.cov[i][i]).padStart(16)}  efficiency ${fmt(s.efficiency[i])} [${fmt(s.efficiencyCi[i][0])}, ${fmt(s.efficiencyCi[i][1])}]\n`));
  return 0;
}
