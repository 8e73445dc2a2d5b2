/**
 * `infogeo geodesic <family> --from name=value,... --velocity name=value,... [--t 1] [--samples K] [--json]`:
 * the exponential map (end point and velocity of the geodesic at time t), optionally the sampled path.
 */
import { ConvergenceError, DomainError, UsageError } from '../../core/errors.js';
import { alphaConnection } from '../../solve/geodesic/alphaConnection.js';
import { expMap, metricNorm } from '../../solve/geodesic/expMap.js';
import { logMap } from '../../solve/geodesic/logMap.js';
import { integratorFlags, namedValues, parseFlags, parseParams, requireString } from '../args.js';
import { fmt, loadCompiled, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo geodesic <family|file.yaml> --from name=value,... (--velocity name=value,... | --to name=value,...) [--alpha A] [--t 1] [--samples K] [--rtol 1e-12] [--integrator dop853|dopri5] [--json]',
  '  Solves d²θ^k/dt² + Γ^k_ij θ\'^i θ\'^j = 0 (adaptive Dormand–Prince 8(5,3) or 5(4), dense output) from θ(0) = from, θ\'(0) = velocity;',
  '  prints θ(t) and θ\'(t) (t = 1: the exponential map). --samples K adds the path at K equally spaced times.',
  '  --alpha A follows the α-connection Γ^(α) (α = 0: Levi-Civita, default; +1: e-connection; −1: m-connection).',
  '  --to instead of --velocity solves the log map first (shooting: the velocity whose geodesic reaches --to at t = 1).',
  '  Exits with status 2 if the geodesic leaves the parameter domain (the message names the condition and t).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { from: 'string', velocity: 'string', to: 'string', alpha: 'number', t: 'number', samples: 'number', rtol: 'number', integrator: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const samples = (p.flags.samples as number | undefined) ?? 0;
  if (samples !== 0 && (!Number.isInteger(samples) || samples < 2 || samples > 100000)) throw new UsageError('--samples must be an integer between 2 and 100000');
  const { rtol, method: integ } = integratorFlags(p);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const c = fam.compiled;
  const from = pointOf(fam, requireString(p, 'from'), '--from');
  const alpha = (p.flags.alpha as number | undefined) ?? 0;
  const conn = alphaConnection(c, alpha);
  if ((p.flags.velocity === undefined) === (p.flags.to === undefined)) throw new UsageError('give exactly one of --velocity and --to');
  let v: Float64Array;
  if (typeof p.flags.to === 'string') {
    const lm = logMap(conn, from, pointOf(fam, p.flags.to, '--to'), { rtol, method: integ });
    if (!lm.converged) throw new ConvergenceError(`${fam.spec.name}: no ${alpha === 0 ? '' : `α = ${alpha} `}geodesic from --from to --to found: ${lm.message ?? 'shooting did not converge'}`);
    v = lm.value;
  } else v = parseParams(requireString(p, 'velocity'), c.paramNames, '--velocity');
  const t = (p.flags.t as number | undefined) ?? 1;
  const r = expMap(conn, from, v, { t, samples, rtol, method: integ });
  if (r.status === 'domain' || r.status === 'stalled') throw new DomainError(`${fam.spec.name}: ${r.message}`);
  const speed = metricNorm(c, from, v);
  checkOutput({ params: c.paramNames, end: r.value, velocity_end: r.velocity, length: Math.abs(t) * speed, path: r.path?.theta }, `geodesic of ${fam.spec.name}`);
  if (p.flags.json) {
    const out: Record<string, unknown> = {
      family: fam.spec.name,
      params: c.paramNames,
      from: namedValues(c.paramNames, from),
      velocity: namedValues(c.paramNames, v),
      t,
      alpha,
      end: namedValues(c.paramNames, r.value),
      velocity_end: namedValues(c.paramNames, r.velocity),
      converged: r.converged,
      length: Math.abs(t) * speed,
      steps: r.steps,
      method: integ === 'dopri5' ? 'dormand-prince-5(4)' : 'dormand-prince-8(5,3)',
    };
    if (r.path) out.path = r.path.t.map((ts, s) => ({ t: ts, ...namedValues(c.paramNames, r.path!.theta[s]) }));
    io.out(JSON.stringify(out) + '\n');
  } else {
    io.out(`${alpha === 0 ? '' : `α = ${alpha} `}geodesic of ${fam.spec.name} to t=${t} (${r.steps} steps, length ${fmt(Math.abs(t) * speed)})\n`);
    c.paramNames.forEach((n, i) => io.out(`  ${n.padEnd(10)} end ${fmt(r.value[i]).padStart(20)}   velocity ${fmt(r.velocity[i]).padStart(20)}\n`));
    if (r.path) {
      io.out(`path (${r.path.t.length} samples)\n  ${['t', ...c.paramNames].map((s) => s.padStart(18)).join(' ')}\n`);
      r.path.t.forEach((ts, s) => io.out(`  ${[ts, ...r.path!.theta[s]].map((x) => fmt(x).padStart(18)).join(' ')}\n`));
    }
  }
  if (!r.converged) {
    io.err(`infogeo geodesic: ${r.message}\n`);
    return 1;
  }
  return 0;
}
