/** `infogeo curvature <family> --at ... [--json]`: scalar curvature R = g^{ij} R_ij (sphere positive). */
import { assertFinite, familyAtPoint, fmt, formatMatrix, nest2 } from '../family.js';
import type { CliIO } from '../io.js';
import { checkCancellation, checkMetricInvertible, checkOutput, pointText } from '../outputCheck.js';

export const help = [
  'infogeo curvature <family|file.yaml> --at name=value,... [--json]',
  '  Scalar curvature R = g^{ij} R_ij (round sphere positive; normal(mu, sigma) gives −1) and the Ricci tensor.',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const r = familyAtPoint(args, io, help);
  if (!r) return 0;
  const { p, fam, theta } = r;
  const c = fam.compiled;
  const R = assertFinite(c.scalarCurvature(theta), 'curvature', fam);
  const ricci = c.ricci(theta);
  if (c.methods.curvature !== 'closed-form') checkMetricInvertible(fam, theta, 'curvature');
  checkOutput({ params: c.paramNames, scalar: R, ricci: nest2(ricci, c.dim) }, `curvature of ${fam.spec.name} at ${pointText(c.paramNames, theta)}`);
  checkCancellation(fam, 'curvature', fam.derivation.scalarCurvature, theta);
  // dim 2 with a closed-form R: ricci = (R/2) g (src/compile), accurate where R and g are
  if (c.dim === 2 && c.methods.curvature === 'closed-form') checkCancellation(fam, 'ricci', fam.derivation.fisher, theta);
  if (p.flags.json) {
    const out: Record<string, unknown> = { family: fam.spec.name, params: c.paramNames, at: Array.from(theta), scalar: R, ricci: nest2(ricci, c.dim), method: c.methods.curvature };
    if (c.dim === 2) out.gaussian = R / 2;
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`Curvature of ${fam.spec.name} at ${c.paramNames.map((s, i) => `${s}=${theta[i]}`).join(', ')}\n`);
  io.out(`  scalar curvature R = ${fmt(R)}${c.dim === 2 ? `   (Gaussian curvature K = R/2 = ${fmt(R / 2)})` : ''}\n`);
  io.out('  Ricci tensor R_ij:\n' + formatMatrix(c.paramNames, ricci).replace(/^/gm, '    ') + '\n');
  return 0;
}
