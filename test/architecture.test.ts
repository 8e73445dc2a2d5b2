/**
 * One direction of data flow: core → declare → derive → compile → solve → report → node → cli.
 * A module may import only from its own stage or an earlier one. `node` is the Node-only edge (files,
 * KaTeX assets on disk): the stages before it run in a browser (the `infogeo/browser` bundle), so they use
 * no Node built-in module, `process` or `Buffer`.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const STAGES = ['core', 'declare', 'derive', 'compile', 'solve', 'report', 'node', 'cli'];
const BROWSER_STAGES = ['core', 'declare', 'derive', 'compile', 'solve', 'report'];
/**
 * The Cramér–Rao Monte Carlo runner starts worker threads that load a family file by path: Node-only, and not
 * reachable from src/browser.ts (the browser bundle build would fail on its node: imports).
 */
const NODE_ONLY = new Set(['solve/crb/crb.ts', 'solve/crb/crbWorker.ts', 'solve/crb/familyModel.ts', 'solve/crb/workerPool.ts']);
const SRC = resolve(__dirname, '../src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const rel = (f: string) => relative(SRC, f).split(/[\\/]/).join('/');

function stageOf(file: string): string | null {
  const top = relative(SRC, file).split(/[\\/]/)[0];
  return STAGES.includes(top) ? top : null;
}

describe('architecture', () => {
  const files = walk(SRC);
  it('every source file sits in a known stage folder (or is src/index.ts)', () => {
    const stray = files.filter((f) => stageOf(f) === null && !['index.ts', 'browser.ts'].includes(relative(SRC, f)));
    expect(stray).toEqual([]);
  });
  it('no stage imports a later stage', () => {
    const violations: string[] = [];
    for (const f of files) {
      const from = stageOf(f);
      if (!from) continue;
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        const target = stageOf(resolve(dirname(f), spec));
        if (target && STAGES.indexOf(target) > STAGES.indexOf(from) && !(NODE_ONLY.has(rel(f)) && target === 'node')) {
          violations.push(`${relative(SRC, f)} imports ${spec} (${from} → ${target})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
  it('the browser stages use no Node built-ins (node: modules, process, Buffer, require)', () => {
    const bad: string[] = [];
    for (const f of files) {
      if (!BROWSER_STAGES.includes(stageOf(f) ?? '') || NODE_ONLY.has(rel(f))) continue;
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      for (const re of [/from\s*['"](node:[^'"]+|fs|path|url|os|module|worker_threads|child_process)['"]/, /\bprocess\.\w/, /\bBuffer\./, /\brequire\(/]) {
        const m = re.exec(code);
        if (m) bad.push(`${rel(f)}: ${m[0]}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
