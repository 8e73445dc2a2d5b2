/**
 * `infogeo distance <family> --from name=value,... --to name=value,... [--json]`: the Fisher–Rao
 * (geodesic) distance by shooting (Newton on the initial velocity with the variational Jacobian).
 */
import { UsageError } from '../../core/errors.js';
import { distance } from '../../solve/geodesic/distance.js';
import { integratorFlags, namedValues, parseFlags, requireString } from '../args.js';
import { fmt, loadCompiled, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo distance <family|file.yaml> --from name=value,... --to name=value,... [--rtol 1e-12] [--integrator dop853|dopri5] [--json]',
  '  Fisher–Rao distance: the length ‖log_from(to)‖_g of the geodesic from `from` to `to`, found by shooting',
  '  (Newton on the initial velocity, Jacobian from the variational equations; discrete-geodesic and',
  '  continuation fallbacks). Also prints the initial velocity log_from(to).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { from: 'string', to: 'string', rtol: 'number', integrator: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const { rtol, method: integ } = integratorFlags(p);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const c = fam.compiled;
  const from = pointOf(fam, requireString(p, 'from'), '--from');
  const to = pointOf(fam, requireString(p, 'to'), '--to');
  const r = distance(c, from, to, { rtol, method: integ });
  checkOutput({ params: c.paramNames, distance: r.value, velocity: r.velocity }, `distance of ${fam.spec.name}`);
  if (p.flags.json) {
    io.out(JSON.stringify({
      family: fam.spec.name,
      params: c.paramNames,
      distance: r.value,
      converged: r.converged,
      method: r.method,
      iterations: r.iterations,
      residual: r.residual,
      velocity: namedValues(c.paramNames, r.velocity),
    }) + '\n');
  } else {
    io.out(`Fisher–Rao distance for ${fam.spec.name}: ${fmt(r.value)}\n`);
    io.out(`  ${r.method}, ${r.iterations} iterations, residual ${fmt(r.residual)}\n`);
    io.out(`  log_from(to) = ${c.paramNames.map((n, i) => `${n}=${fmt(r.velocity[i])}`).join(', ')}\n`);
  }
  if (!r.converged) {
    io.err(`infogeo distance: shooting did not converge: ${r.message ?? ''}\n`);
    return 1;
  }
  return 0;
}
