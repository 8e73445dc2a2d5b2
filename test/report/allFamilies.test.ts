/**
 * The report stage over every built-in family (families/*): the derivation document of each renders in KaTeX
 * (throwOnError) with tidy TeX, its standalone LaTeX compiles with pdflatex (when installed), its JSON sources
 * parse back to expressions equal in value to the derived objects, and the `derive` verb prints all three formats.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'mathjs';
import katex from 'katex';
import { loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import type { Derivation } from '../../src/derive/types.js';
import { derivationDocument, type DerivationDocument } from '../../src/report/derivation/derivationDocument.js';
import { renderJson } from '../../src/report/derivation/renderJson.js';
import { renderLatexDocument } from '../../src/report/derivation/renderLatexDocument.js';
import { equationTex } from '../../src/report/derivation/renderHtmlFragment.js';
import { tidyProblems } from '../../src/report/latex/printLatex.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { compileLatex, hasPdflatex } from './latexTools.js';

const ROOT = resolve(__dirname, '../..');
const FAMILY_FILES = readdirSync(join(ROOT, 'families')).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const PDFLATEX = hasPdflatex();

function allEquations(doc: DerivationDocument) {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'equations' ? b.equations : [])));
}

describe('report over every built-in family', () => {
  it('finds the family files', () => {
    expect(FAMILY_FILES.length).toBeGreaterThanOrEqual(15);
  });

  const cache = new Map<string, { d: Derivation; doc: DerivationDocument }>();
  const get = (f: string) => {
    if (!cache.has(f)) {
      const d = deriveFamily(loadFamily(join(ROOT, 'families', f), { cwd: ROOT }));
      cache.set(f, { d, doc: derivationDocument(d) });
    }
    return cache.get(f)!;
  };

  for (const f of FAMILY_FILES) {
    describe(f, () => {
      it('renders every display equation and inline formula in KaTeX, with tidy TeX', () => {
        const { doc } = get(f);
        const eqs = allEquations(doc);
        expect(eqs.length).toBeGreaterThan(5);
        for (const e of eqs) {
          const tex = equationTex(e);
          expect(() => katex.renderToString(tex, { throwOnError: true, displayMode: true }), tex).not.toThrow();
          expect(tidyProblems(e.rhs), e.rhs).toEqual([]);
        }
        for (const s of doc.sections) for (const b of s.blocks) {
          if (b.kind !== 'text') continue;
          for (const m of b.text.matchAll(/\$([^$]*)\$/g)) expect(() => katex.renderToString(m[1], { throwOnError: true }), m[1]).not.toThrow();
        }
      });

      it('gives JSON Fisher sources equal in value to the derived metric at a sample point', () => {
        const { d, doc } = get(f);
        const json = JSON.parse(renderJson(doc));
        const fisher = json.sections.find((s: { id: string }) => s.id === 'fisher');
        const src: string[][] | null = fisher.blocks.flatMap((b: { kind: string; equations?: { source: unknown }[] }) => b.equations ?? []).map((e: { source: unknown }) => e.source).find((s: unknown) => Array.isArray(s) && Array.isArray((s as unknown[])[0])) ?? null;
        if (!src || JSON.stringify(src).includes('expect(')) return; // quadrature entries or entry-wise listing
        const scope: Record<string, number> = { ...d.family.constants };
        d.family.params.forEach((p, i) => (scope[p.name] = p.domain === 'real' ? 0.3 + 0.1 * i : p.domain === 'unit' ? 0.2 + 0.05 * i : 1.3 + 0.2 * i));
        for (let i = 0; i < d.dim; i++) for (let j = 0; j < d.dim; j++) {
          let a: number, b: number;
          try {
            a = Number(parse(src[i][j]).evaluate({ ...scope }));
            // infogeo's trees come from its parser-only mathjs instance: evaluate their text with the full one
            b = Number(parse(d.fisher[i][j].toString()).evaluate({ ...scope }));
          } catch {
            continue; // special functions mathjs cannot evaluate (digamma, Bessel): covered by the compile stage
          }
          expect(a).toBeCloseTo(b, 10);
        }
      });

      it.skipIf(!PDFLATEX)('produces a standalone LaTeX document that pdflatex compiles', () => {
        const { doc } = get(f);
        expect(compileLatex(renderLatexDocument(doc), f.replace(/\.\w+$/, ''))).toBeNull();
      });
    });
  }

  it('prints latex, html and json through `infogeo derive`', async () => {
    for (const format of ['latex', 'html', 'json']) {
      const io = memoryIO(ROOT);
      const code = await main(['derive', 'gamma', '--format', format], io);
      expect(code, io.stderr).toBe(0);
      if (format === 'latex') expect(io.stdout.startsWith('\\documentclass')).toBe(true);
      if (format === 'html') {
        expect(io.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
        expect(io.stdout).not.toContain('katex-error');
        expect(io.stdout).toContain('data:font/woff2;base64,');
      }
      if (format === 'json') expect(JSON.parse(io.stdout).family).toBe('gamma');
    }
    const bad = memoryIO(ROOT);
    expect(await main(['derive', 'gamma', '--format', 'pdf'], bad)).toBe(2);
    expect(bad.stderr).toContain('--format must be one of latex, html, json');
  });
});
