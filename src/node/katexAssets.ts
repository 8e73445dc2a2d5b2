/**
 * KaTeX stylesheet and fonts from the installed `katex` package, for pages that must work offline:
 * {@link katexCssInline} embeds the woff2 fonts as data URIs (one self-contained file),
 * {@link copyKatexAssets} copies `katex.min.css` and `fonts/` next to a generated site.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Directory holding katex.min.css and fonts/. */
export function katexDistDir(): string {
  return dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
}

/** katex.min.css with every woff2 font inlined as base64 and the woff/ttf fallbacks dropped. */
export function katexCssInline(): string {
  const dir = katexDistDir();
  const css = readFileSync(join(dir, 'katex.min.css'), 'utf8');
  return css.replace(/src:([^;}]*)/g, (_, srcs: string) => {
    const m = /url\((fonts\/[^)]+\.woff2)\)/.exec(srcs);
    if (!m) return `src:${srcs}`;
    const data = readFileSync(join(dir, m[1])).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
}

/** Copies katex.min.css and all fonts into `outDir` (creating `outDir/fonts`). Returns the css file name. */
export function copyKatexAssets(outDir: string): string {
  const dir = katexDistDir();
  mkdirSync(join(outDir, 'fonts'), { recursive: true });
  copyFileSync(join(dir, 'katex.min.css'), join(outDir, 'katex.min.css'));
  for (const f of readdirSync(join(dir, 'fonts'))) copyFileSync(join(dir, 'fonts', f), join(outDir, 'fonts', f));
  return 'katex.min.css';
}
