/** `infogeo christoffel <family> --at ... [--kind second|first] [--alpha a] [--json]`: Γ^k_ij (index [k][i][j]). */
import { UsageError } from '../../core/errors.js';
import { assertFinite, familyAtPoint, fmt, nest3 } from '../family.js';
import type { CliIO } from '../io.js';
import { checkCancellation, checkMetricInvertible, checkOutput, pointText } from '../outputCheck.js';

export const help = [
  'infogeo christoffel <family|file.yaml> --at name=value,... [--kind second|first] [--alpha a] [--json]',
  '  Christoffel symbols of the Levi-Civita connection (α = 0) or of the α-connection.',
  '  second kind: christoffel[k][i][j] = Γ^k_ij; first kind: christoffel[i][j][k] = Γ_ij,k.',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const r = familyAtPoint(args, io, help, { kind: 'string', alpha: 'number' });
  if (!r) return 0;
  const { p, fam, theta } = r;
  const kind = (p.flags.kind as string | undefined) ?? 'second';
  if (kind !== 'second' && kind !== 'first') throw new UsageError(`--kind must be 'second' or 'first', got '${kind}'`);
  const alpha = (p.flags.alpha as number | undefined) ?? 0;
  if (kind === 'first' && alpha !== 0) throw new UsageError('--alpha is only available with --kind second');
  const c = fam.compiled;
  const n = c.dim;
  const t = assertFinite(kind === 'first' ? c.christoffelFirst(theta) : alpha !== 0 ? c.alphaChristoffel(alpha, theta) : c.christoffel(theta), 'christoffel', fam);
  const trees = alpha !== 0 ? null : kind === 'first' ? fam.derivation.christoffelFirst : fam.derivation.christoffel;
  if (!trees || kind === 'second' && c.methods.christoffel !== 'closed-form') checkMetricInvertible(fam, theta, 'christoffel');
  checkOutput({ params: c.paramNames, christoffel: nest3(t, n) }, `christoffel of ${fam.spec.name} at ${pointText(c.paramNames, theta)}`);
  checkCancellation(fam, 'christoffel', trees, theta);
  if (p.flags.json) {
    io.out(JSON.stringify({ family: fam.spec.name, params: c.paramNames, at: Array.from(theta), kind, alpha, christoffel: nest3(t, n), method: c.methods.christoffel }) + '\n');
    return 0;
  }
  const names = c.paramNames;
  io.out(`Christoffel symbols (${kind} kind${alpha ? `, α = ${alpha}` : ''}) of ${fam.spec.name} at ${names.map((s, i) => `${s}=${theta[i]}`).join(', ')}\n`);
  for (let a = 0; a < n; a++)
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const v = t[(a * n + i) * n + j];
        const label = kind === 'first' ? `Γ_{${names[a]}${names[i]},${names[j]}}` : `Γ^${names[a]}_{${names[i]} ${names[j]}}`;
        io.out(`  ${label.padEnd(28)} ${fmt(v)}\n`);
      }
  return 0;
}
