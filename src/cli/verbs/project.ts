/**
 * `infogeo project <family> --at ... --onto C[;C...] [--kind m|e] [--json]`: m- or e-projection of a
 * point of an exponential family onto the subfamily given by fixing (name=value) and tying (name=name)
 * parameters, with the generalized Pythagorean relation checked at a second point of the subfamily.
 */
import { UsageError } from '../../core/errors.js';
import { flatness, project, subfamily } from '../../solve/dual/projection.js';
import { namedValues, parseFlags, requireString } from '../args.js';
import { loadDual, requireDual } from '../dual.js';
import { fmt, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo project <family|file.yaml> --at name=value,... --onto "sigma=1.5" | "a1=a2" [...; separated] [--kind m|e] [--json]',
  '  m-projection (default): q = argmin over the subfamily of KL(p‖q); e-projection: argmin KL(q‖p).',
  '  Reports whether the subfamily is e-flat / m-flat, and the Pythagorean relation at another point r of the',
  '  subfamily: KL(p‖r) = KL(p‖q) + KL(q‖r) (m-projection onto an e-flat subfamily) or',
  '  KL(r‖p) = KL(r‖q) + KL(q‖p) (e-projection onto an m-flat subfamily).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { at: 'string', onto: 'string', kind: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const kind = (p.flags.kind as string | undefined) ?? 'm';
  if (kind !== 'm' && kind !== 'e') throw new UsageError(`--kind must be m or e (got '${kind.slice(0, 20)}')`);
  const fam = loadDual(p.positional[0], io.cwd);
  const { coords, dual } = requireDual(fam);
  const c = fam.compiled;
  const at = pointOf(fam, requireString(p, 'at'), '--at');
  const sub = subfamily(c.paramNames, requireString(p, 'onto').split(';').map((s) => s.trim()).filter((s) => s !== ''));
  const q = project(c, coords, dual, sub, at, kind);
  const flat = flatness(c, coords, sub, q.point);
  // A second point of the subfamily: q moved along the first free coordinate, kept in the domain.
  const r = Float64Array.from(q.point);
  for (let scale = 0.5; scale > 1e-6; scale /= 2) {
    for (let i = 0; i < c.dim; i++) r[i] = q.point[i] + sub.basis[i * sub.free] * scale * Math.max(1, Math.abs(q.point[i]));
    if (c.checkPoint(r) === null) break;
  }
  const lhs = kind === 'm' ? c.kl(at, r) : c.kl(r, at);
  const rhs = kind === 'm' ? c.kl(at, q.point) + c.kl(q.point, r) : c.kl(r, q.point) + c.kl(q.point, at);
  const out = {
    family: fam.spec.name,
    params: c.paramNames,
    kind,
    onto: sub.description,
    projection: namedValues(c.paramNames, q.point),
    divergence: q.divergence,
    e_flat: flat.eFlat,
    m_flat: flat.mFlat,
    pythagorean: { r: namedValues(c.paramNames, r), lhs, rhs, holds_expected: kind === 'm' ? flat.eFlat : flat.mFlat },
    iterations: q.iterations,
  };
  checkOutput(out, 'project');
  if (p.flags.json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`${kind}-projection of ${fam.spec.name} onto ${sub.description} (${flat.eFlat ? 'e-flat' : 'not e-flat'}, ${flat.mFlat ? 'm-flat' : 'not m-flat'})\n`);
  c.paramNames.forEach((nm, i) => io.out(`  ${nm.padEnd(10)} ${fmt(q.point[i]).padStart(20)}\n`));
  io.out(`  ${kind === 'm' ? 'KL(p‖q)' : 'KL(q‖p)'} = ${fmt(q.divergence)}\n`);
  io.out(`  Pythagorean check at r: ${fmt(lhs)} vs ${fmt(rhs)}${out.pythagorean.holds_expected ? '' : ' (not expected to hold: the subfamily is not ' + (kind === 'm' ? 'e' : 'm') + '-flat)'}\n`);
  return 0;
}
