/**
 * CLI start-up: wall time of `node bin/infogeo.js fisher gamma --at alpha=2.5,beta=0.7` (the built CLI in dist/)
 * against its peer `node -e 0` measured in the same run, interleaved (peer, CLI, peer, CLI, …) so that machine
 * load hits both alike; one warm-up pair, then the median of 5 each. Target: ratio ≤ 5.
 * Also the in-process breakdown of one run (module loading, then each pipeline step), from a child that imports
 * the dist modules one stage at a time. Builds dist/ first when it is stale (scripts/build.mjs).
 * Prints one JSON line. Run: node bin/run-ts.js bench/startup.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);

const CLI = [join(root, 'bin/infogeo.js'), 'fisher', 'gamma', '--at', 'alpha=2.5,beta=0.7'];
const PEER = ['-e', '0'];

function wall(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

wall(PEER);
wall(CLI);
const peer: number[] = [];
const cli: number[] = [];
for (let k = 0; k < 5; k++) {
  peer.push(wall(PEER));
  cli.push(wall(CLI));
}

/** In-process: ms since process start at which each step finished (performance.now() origin). */
const probe = `
const t = [['node start', performance.now()]];
const mark = (n) => t.push([n, performance.now()]);
const d = ${JSON.stringify(join(root, 'dist'))};
await import(d + '/cli/main.js'); mark('import cli/main');
await import(d + '/cli/verbs/fisher.js'); mark('import fisher verb (mathjs subset, yaml, special functions, pipeline)');
const { loadCompiled } = await import(d + '/cli/family.js');
const { loadFamily } = await import(d + '/node/loadFamily.js');
const { deriveFamily } = await import(d + '/derive/deriveFamily.js');
const { compileFamily } = await import(d + '/compile/compileFamily.js');
const spec = loadFamily('gamma'); mark('read + parse + validate gamma.yaml');
const der = deriveFamily(spec); mark('derive (symbolic)');
const c = compileFamily(der); mark('compile (CSE + codegen)');
c.fisher([2.5, 0.7]); mark('evaluate metric');
const out = {}; let prev = 0;
for (const [n, v] of t) { out[n] = +(v - prev).toFixed(1); prev = v; }
console.log(JSON.stringify(out));
`;
const pr = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
const breakdown = pr.status === 0 ? JSON.parse(pr.stdout.trim()) : { error: pr.stderr.slice(-500) };

const r = (x: number) => +x.toFixed(1);
console.log(
  JSON.stringify({
    command: 'infogeo fisher gamma --at alpha=2.5,beta=0.7',
    peer: 'node -e 0',
    cli_ms_median: r(median(cli)),
    peer_ms_median: r(median(peer)),
    ratio: +(median(cli) / median(peer)).toFixed(2),
    target_ratio: 5,
    cli_ms: cli.map(r),
    peer_ms: peer.map(r),
    breakdown_ms: breakdown,
  }),
);
