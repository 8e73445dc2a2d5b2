/**
 * `infogeo fisher <model.yaml> --at ... [--design D] [--json]`: the Fisher information of a design for a
 * model with covariates, its inverse (the Cramér–Rao bound) and the standard-error bounds.
 */
import { ConvergenceError, DomainError, UsageError } from '../../core/errors.js';
import { inverse, symmetricEigen } from '../../core/linalg.js';
import { namedValues, parseFlags, parseParams, requireString } from '../args.js';
import { formatMatrix, nest2 } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';
import { designArgument, loadModel } from '../model.js';

export const help = [
  'infogeo fisher <model.yaml> --at name=value,... [--design "x = 0..1:11" | design.csv] [--json]',
  '  Fisher information I(θ) = Σ_k w_k J_kᵀ g(ψ(θ, z_k)) J_k of a design for a model with covariates, and the',
  '  Cramér–Rao bound I(θ)⁻¹. Without --design the model file\'s design is used.',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { at: 'string', design: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one model argument\n${help}`);
  const m = loadModel(p.positional[0], io.cwd);
  const c = m.compiled;
  const theta = parseParams(requireString(p, 'at'), c.paramNames, '--at');
  const bad = c.checkPoint(theta);
  if (bad) throw new DomainError(`--at is outside the domain of ${m.spec.name}: ${bad}`);
  const design = designArgument(p.flags.design as string | undefined, m.spec, io.cwd);
  const off = c.checkDesign(design, theta);
  if (off) throw new DomainError(off);
  const n = c.dim;
  const I = c.designFisher(design, theta);
  if (!I.every(Number.isFinite)) throw new ConvergenceError(`the Fisher information of ${m.spec.name} is not finite at this point (method: ${c.method})`);
  const ev = symmetricEigen(I, n).values;
  if (!(ev[0] > 1e-12 * ev[n - 1])) throw new DomainError(`the Fisher information of this design is singular (eigenvalues ${Array.from(ev, (v) => v.toPrecision(3)).join(', ')}): the design cannot estimate every parameter`);
  const crb = inverse(I, n);
  const se = Array.from({ length: n }, (_, i) => Math.sqrt(crb[i * n + i]));
  checkOutput({ params: c.paramNames, fisher: nest2(I, n), crb: nest2(crb, n), standard_errors: se }, `fisher of ${m.spec.name}`);
  if (p.flags.json) {
    io.out(JSON.stringify({ model: m.spec.name, family: m.spec.family.name, params: c.paramNames, at: Array.from(theta), design_points: design.size, total_weight: design.weights.reduce((a, b) => a + b, 0), fisher: nest2(I, n), crb: nest2(crb, n), standard_errors: namedValues(c.paramNames, se), method: c.method }) + '\n');
    return 0;
  }
  io.out(`Fisher information of ${m.spec.name} (${m.spec.family.name} observations) over ${design.size} design points (${c.method})\n`);
  io.out(formatMatrix(c.paramNames, I) + '\n');
  io.out('Cramér–Rao bound I(θ)⁻¹\n' + formatMatrix(c.paramNames, crb) + '\n');
  return 0;
}
