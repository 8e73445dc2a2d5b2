/**
 * `infogeo list [--json]`: the built-in families (families/*.yaml) with their titles and parameters in order
 * (name, domain), so that a user knows what `--at name=value,...` expects.
 */
import { UsageError } from '../../core/errors.js';
import { listFamilies, loadFamily } from '../../node/loadFamily.js';
import { parseFlags } from '../args.js';
import type { CliIO } from '../io.js';

export const help = [
  'infogeo list [--json]',
  '  Built-in families: name, title, parameters in order with their domains (real, positive, unit).',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length) throw new UsageError(`list takes no positional arguments\n${help}`);
  const rows = listFamilies().map((name) => {
    const spec = loadFamily(name);
    return { name, title: spec.title, params: spec.params.map((q) => ({ name: q.name, domain: q.domain })) };
  });
  if (p.flags.json) {
    io.out(JSON.stringify({ families: rows }, null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) io.out(`${r.name.padEnd(w)}  ${r.params.map((q) => `${q.name}:${q.domain}`).join(', ')}\n${' '.repeat(w)}  ${r.title}\n`);
  return 0;
}
