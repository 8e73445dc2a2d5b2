/**
 * `infogeo divergence <family> --from ... --to ... [--kind K] [--order a] [--json]`: divergences between
 * two members of a family (exact for exponential families, quadrature/summation otherwise) and their
 * second- and third-order Taylor expansions in terms of g, Γ_ij,k and the Amari–Chentsov tensor.
 */
import { UsageError } from '../../core/errors.js';
import { DIVERGENCE_KINDS, divergence, divergenceExpansion, type DivergenceKind } from '../../solve/dual/divergences.js';
import { parseFlags, requireString } from '../args.js';
import { loadDual } from '../dual.js';
import { fmt, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo divergence <family|file.yaml> --from name=value,... --to name=value,... [--kind K|all] [--order a] [--json]',
  `  K is one of ${DIVERGENCE_KINDS.join(', ')} (default: all). --order is α for the Amari α-divergence`,
  '  (default 0; α = −1 is KL(from‖to), α = +1 KL(to‖from)) and the order r > 0 of the Rényi divergence (default ½).',
  '  Prints each value, how it was computed (exponential family: exact through the log-partition; otherwise',
  '  quadrature or summation), and its second- and third-order Taylor approximations at `from`:',
  '  c_g g_ij dθ^i dθ^j, plus (c_Γ Γ_ij,k + c_T T_ijk) dθ^i dθ^j dθ^k (dθ = to − from).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { from: 'string', to: 'string', kind: 'string', order: 'number', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const kindFlag = (p.flags.kind as string | undefined) ?? 'all';
  if (kindFlag !== 'all' && !(DIVERGENCE_KINDS as readonly string[]).includes(kindFlag)) {
    throw new UsageError(`--kind must be one of ${DIVERGENCE_KINDS.join(', ')} or all (got '${kindFlag.slice(0, 40)}')`);
  }
  const order = p.flags.order as number | undefined;
  if (order !== undefined && kindFlag !== 'alpha' && kindFlag !== 'renyi') throw new UsageError('--order goes with --kind alpha or --kind renyi');
  const fam = loadDual(p.positional[0], io.cwd);
  const from = pointOf(fam, requireString(p, 'from'), '--from');
  const to = pointOf(fam, requireString(p, 'to'), '--to');
  const kinds = kindFlag === 'all' ? DIVERGENCE_KINDS : [kindFlag as DivergenceKind];
  const rows = kinds.map((k) => {
    const v = divergence(fam.divergences, k, from, to, order);
    const e = divergenceExpansion(fam.compiled, k, from, to, v.order);
    return { ...v, expansion: { second_order: e.second, third_order: e.second + e.third, coefficients: e.coefficients } };
  });
  checkOutput({ divergences: rows.map((r) => ({ value: r.value, expansion: r.expansion })) }, `divergence of ${fam.spec.name}`);
  if (p.flags.json) {
    io.out(JSON.stringify({ family: fam.spec.name, params: fam.compiled.paramNames, divergences: rows }) + '\n');
    return 0;
  }
  io.out(`divergences from p_from to p_to in ${fam.spec.name}\n`);
  io.out(`  ${'kind'.padEnd(16)} ${'value'.padStart(20)} ${'2nd-order'.padStart(20)} ${'3rd-order'.padStart(20)}  route\n`);
  for (const r of rows) {
    const name = r.order !== undefined ? `${r.kind}(${r.order})` : r.kind;
    io.out(`  ${name.padEnd(16)} ${fmt(r.value).padStart(20)} ${fmt(r.expansion.second_order).padStart(20)} ${fmt(r.expansion.third_order).padStart(20)}  ${r.route}\n`);
  }
  return 0;
}
