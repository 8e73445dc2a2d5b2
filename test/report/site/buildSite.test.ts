import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../../../src/node/writeSite.js';
import { gammaDerivation, normalDerivation } from '../derivation/fixtures.js';
import { normalKl, normalMetric } from './normalMetric.js';

describe('buildSite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infogeo-site-'));
  const normalCompiled = { ...normalMetric, paramNames: ['mu', 'sigma'], kl: (a: ArrayLike<number>, b: ArrayLike<number>) => normalKl(a[0], a[1], b[0], b[1]), scalarCurvature: () => -1 };
  const res = buildSite({
    outDir: dir,
    families: [{ derivation: normalDerivation(), compiled: normalCompiled }, { derivation: gammaDerivation() }],
    failures: [{ name: 'broken', error: 'derive: no rule for foo' }],
    guides: [{ name: 'family-format', markdown: '# Family format\n\nSee [softmax](softmax.md) and $g_{ij}$.' }, { name: 'softmax', markdown: '# Softmax\n\n$$F = A \\otimes G$$' }],
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');

  it('writes index, one page per family and per guide, and the offline KaTeX assets', () => {
    expect([...res.pages].sort()).toEqual(['family-gamma.html', 'family-normal.html', 'guide-family-format.html', 'guide-softmax.html', 'index.html']);
    expect(existsSync(join(dir, 'katex/katex.min.css'))).toBe(true);
    expect(readdirSync(join(dir, 'katex/fonts')).filter((f) => f.endsWith('.woff2')).length).toBe(20);
    expect(existsSync(join(dir, 'tex/normal.tex'))).toBe(true);
    expect(JSON.parse(read('tex/gamma.json')).family).toBe('gamma');
  });

  it('has no katex-error and links every page to the local stylesheet', () => {
    for (const p of res.pages) {
      const html = read(p);
      expect(html).not.toContain('katex-error');
      expect(html).toContain('<link rel="stylesheet" href="katex/katex.min.css">');
    }
  });

  it('lists the catalogue with links and the failures, and states the sign convention of R', () => {
    const index = read('index.html');
    expect(index).toContain('<a href="family-normal.html"><code>normal</code></a>');
    expect(index).toContain('not generated: derive: no rule for foo');
    expect(index).toContain('the normal family in');
    expect(index).toContain('<a href="guide-softmax.html">softmax</a>');
  });

  it('rewrites guide links to .md into site pages', () => {
    expect(read('guide-family-format.html')).toContain('<a href="guide-softmax.html">softmax</a>');
  });

  it('embeds the two figures for a 2-parameter family with compiled closures, with unique clip ids', () => {
    const html = read('family-normal.html');
    expect(html.match(/<figure id="fig-/g)?.length).toBe(2);
    expect(html).toContain('clip-path="url(#plot-area-normal-1)"');
    expect(html).toContain('clip-path="url(#plot-area-normal-2)"');
    expect(html).toMatch(/Scalar curvature .* at this point: <code>-1<\/code>/);
    expect(read('family-gamma.html')).not.toContain('<figure');
  });

});
