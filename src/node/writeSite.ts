/**
 * Node-only: writes the documentation site rendered by {@link renderSite} to a folder, with the KaTeX
 * stylesheet and fonts copied to `katex/` so that it works offline from `file://`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderSite, type SiteInput, type SiteResult } from '../report/site/buildSite.js';
import { copyKatexAssets } from './katexAssets.js';

export interface SiteWriteInput extends SiteInput {
  readonly outDir: string;
  /** Extra files (e.g. the playground's script bundle), relative path → content. */
  readonly extraFiles?: ReadonlyMap<string, string | Uint8Array>;
}

/** Renders the site and writes it under `input.outDir`. Returns the written paths relative to outDir. */
export function buildSite(input: SiteWriteInput): SiteResult {
  const res = renderSite(input);
  const out = input.outDir;
  const put = (rel: string, data: string | Uint8Array) => {
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel), data);
  };
  for (const [rel, text] of res.content) put(rel, text);
  const files = [...res.files];
  for (const [rel, data] of input.extraFiles ?? []) {
    put(rel, data);
    files.push(rel);
  }
  copyKatexAssets(join(out, 'katex'));
  files.push('katex/katex.min.css');
  return { pages: res.pages, files, content: res.content };
}
