/**
 * `infogeo transport <family> --from ... --velocity ... --vectors "v;w" [--alpha A] [--t 1] [--json]`:
 * parallel transport of tangent vectors along the geodesic θ(t) from `from` with initial velocity
 * `velocity`, by the Levi-Civita connection or the α-connection.
 */
import { DomainError, UsageError } from '../../core/errors.js';
import { alphaConnection } from '../../solve/geodesic/alphaConnection.js';
import { parallelTransport } from '../../solve/geodesic/transport.js';
import { integratorFlags, namedValues, parseFlags, parseParams, requireString } from '../args.js';
import { fmt, loadCompiled, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo transport <family|file.yaml> --from name=value,... --velocity name=value,... --vectors "name=v,...;name=v,..." [--alpha A] [--t 1] [--rtol r] [--integrator dop853|dopri5] [--json]',
  '  Transports each vector along the geodesic (of the same connection) by W\' + Γ(θ\', W) = 0. Levi-Civita (α = 0,',
  '  default) keeps Fisher inner products; the α-connection keeps the pairing with the (−α)-transport instead.',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { from: 'string', velocity: 'string', vectors: 'string', alpha: 'number', t: 'number', rtol: 'number', integrator: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const { rtol, method } = integratorFlags(p);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const c = fam.compiled;
  const from = pointOf(fam, requireString(p, 'from'), '--from');
  const v = parseParams(requireString(p, 'velocity'), c.paramNames, '--velocity');
  const vectors = requireString(p, 'vectors').split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (vectors.length === 0 || vectors.length > 64) throw new UsageError('--vectors needs 1 to 64 vectors separated by ;');
  const ws = vectors.map((s, i) => parseParams(s, c.paramNames, `--vectors vector ${i + 1}`));
  const alpha = (p.flags.alpha as number | undefined) ?? 0;
  const t = (p.flags.t as number | undefined) ?? 1;
  const r = parallelTransport(alphaConnection(c, alpha), from, v, ws, { t, rtol, method });
  if (!r.converged) throw new DomainError(`${fam.spec.name}: ${r.message ?? 'transport did not reach t'}`);
  const out = {
    family: fam.spec.name,
    params: c.paramNames,
    alpha,
    t,
    end: namedValues(c.paramNames, r.end),
    velocity_end: namedValues(c.paramNames, r.velocity),
    vectors: r.vectors.map((w) => namedValues(c.paramNames, w)),
  };
  checkOutput(out, 'transport');
  if (p.flags.json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`parallel transport in ${fam.spec.name} (α = ${alpha}) to t=${t}; end point ${c.paramNames.map((nm, i) => `${nm}=${fmt(r.end[i])}`).join(', ')}\n`);
  r.vectors.forEach((w, a) => io.out(`  vector ${a + 1}: ${c.paramNames.map((nm, i) => `${nm}=${fmt(w[i])}`).join(', ')}\n`));
  return 0;
}
