/** `infogeo fisher <family> --at name=value,... [--json]`: the Fisher metric g_ij at θ. */
import { assertFinite, familyAtPoint, formatMatrix, nest2 } from '../family.js';
import type { CliIO } from '../io.js';
import { isModelArgument } from '../model.js';
import { checkCancellation, checkOutput, pointText } from '../outputCheck.js';

export const help = 'infogeo fisher <family|file.yaml> --at name=value,... [--json]\n  Fisher information matrix g_ij = E[∂_i l ∂_j l] of one observation.';

export async function run(args: string[], io: CliIO): Promise<number> {
  // A model file (covariates and a design) has its own Fisher information: see modelFisher.ts.
  if (args.some((a) => isModelArgument(a, io.cwd))) return (await import('./modelFisher.js')).run(args, io);
  const r = familyAtPoint(args, io, help);
  if (!r) return 0;
  const { p, fam, theta } = r;
  const c = fam.compiled;
  const g = assertFinite(c.fisher(theta), 'fisher', fam);
  checkOutput({ params: c.paramNames, fisher: nest2(g, c.dim) }, `fisher of ${fam.spec.name} at ${pointText(c.paramNames, theta)}`);
  checkCancellation(fam, 'fisher', fam.derivation.fisher, theta);
  if (p.flags.json) {
    io.out(JSON.stringify({ family: fam.spec.name, params: c.paramNames, at: Array.from(theta), fisher: nest2(g, c.dim), method: c.methods.fisher }) + '\n');
  } else {
    io.out(`Fisher metric of ${fam.spec.name} at ${c.paramNames.map((n, i) => `${n}=${theta[i]}`).join(', ')} (${c.methods.fisher ?? 'closed-form'})\n`);
    io.out(formatMatrix(c.paramNames, g) + '\n');
  }
  return 0;
}
