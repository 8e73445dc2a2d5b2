/** `infogeo kl <family> --from ... --to ... [--json]`: KL(p_from ‖ p_to) and its quadratic approximation. */
import { UsageError } from '../../core/errors.js';
import { parseFlags, requireString } from '../args.js';
import { assertFinite, fmt, loadCompiled, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkCancellation, checkOutput, pointText } from '../outputCheck.js';

export const help = [
  'infogeo kl <family|file.yaml> --from name=value,... --to name=value,... [--json]',
  '  KL(p_from ‖ p_to) (closed form where derived, quadrature otherwise) and ½ dθᵀ g(from) dθ, dθ = to − from.',
].join('\n');

/** ½ dθᵀ F(from) dθ. */
export function klQuadratic(fisherFrom: ArrayLike<number>, from: ArrayLike<number>, to: ArrayLike<number>): number {
  const n = from.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += (to[i] - from[i]) * fisherFrom[i * n + j] * (to[j] - from[j]);
  return 0.5 * s;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { from: 'string', to: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const from = pointOf(fam, requireString(p, 'from'), '--from');
  const to = pointOf(fam, requireString(p, 'to'), '--to');
  const c = fam.compiled;
  const kl = assertFinite(c.kl(from, to), 'kl', fam);
  const quad = klQuadratic(c.fisher(from), from, to);
  checkOutput({ kl, kl_quadratic: quad }, `kl of ${fam.spec.name} from ${pointText(c.paramNames, from)} to ${pointText(c.paramNames, to)}`);
  const d = fam.derivation;
  // KL(θ ‖ θ) = 0 exactly; otherwise a closed form must keep its digits (nearby points cancel)
  if (d.kl && from.some((v, i) => v !== to[i])) checkCancellation(fam, 'kl', d.kl.expr, from, Object.fromEntries(d.kl.toSymbols.map((s, i) => [s, to[i]])));
  if (p.flags.json) {
    io.out(JSON.stringify({ family: fam.spec.name, params: c.paramNames, kl, kl_quadratic: quad, method: c.methods.kl }) + '\n');
    return 0;
  }
  io.out(`KL(p_from ‖ p_to) for ${fam.spec.name} (${c.methods.kl ?? 'closed-form'})\n`);
  io.out(`  exact          ${fmt(kl)}\n  ½ dθᵀ g dθ     ${fmt(quad)}\n  ratio          ${fmt(kl / quad)}\n`);
  return 0;
}
