/**
 * `infogeo derive <family> [--format latex|html|json] [--out file]`: the step-by-step derivation of a family's
 * Fisher geometry (density, log-likelihood, score, second derivatives, expectations used, Fisher matrix, its
 * inverse, Christoffel symbols, curvature, KL quadratic form). `latex` is a standalone document for pdflatex;
 * `html` a self-contained page (KaTeX rendered server-side, fonts inlined, works offline); `json` the same
 * document as data (TeX plus mathjs source of every right-hand side).
 */
import { UsageError } from '../../core/errors.js';
import { loadFamily } from '../../node/loadFamily.js';
import { deriveFamily } from '../../derive/deriveFamily.js';
import { derivationDocument } from '../../report/derivation/derivationDocument.js';
import { katexCssInline } from '../../node/katexAssets.js';
import { renderHtmlPage } from '../../report/derivation/renderHtmlFragment.js';
import { renderJson } from '../../report/derivation/renderJson.js';
import { renderLatexDocument } from '../../report/derivation/renderLatexDocument.js';
import { modelDocument } from '../../report/derivation/modelDocument.js';
import { parseFlags } from '../args.js';
import { isModelArgument, loadModel } from '../model.js';
import { checkOutputFile, writeFileAtomic } from '../outputFile.js';
import type { CliIO } from '../io.js';
import { guardDefaultPoint } from '../family.js';

export const help = [
  'infogeo derive <family|file.yaml> [--format latex|html|json] [--out file]',
  '  Step-by-step derivation: density, log-likelihood, score, second derivatives, expectations used,',
  '  Fisher matrix and inverse, Christoffel symbols, curvature, KL quadratic form.',
  '  latex (default): standalone document (pdflatex); html: self-contained page; json: the document as data.',
].join('\n');

const FORMATS = ['latex', 'html', 'json'] as const;

function familyDocument(derivation: ReturnType<typeof deriveFamily>): ReturnType<typeof derivationDocument> {
  guardDefaultPoint(derivation);
  return derivationDocument(derivation);
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { format: 'string', out: 'string', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const format = (p.flags.format as string | undefined) ?? 'latex';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
  const out = p.flags.out as string | undefined;
  if (out !== undefined) checkOutputFile(out, '--out', io.cwd);
  const doc = isModelArgument(p.positional[0], io.cwd)
    ? modelDocument(loadModel(p.positional[0], io.cwd).derivation)
    : familyDocument(deriveFamily(loadFamily(p.positional[0], { cwd: io.cwd })));
  const text = format === 'latex' ? renderLatexDocument(doc) : format === 'json' ? renderJson(doc) : renderHtmlPage(doc, { css: katexCssInline() });
  if (out !== undefined) {
    writeFileAtomic(out, text, '--out', io.cwd);
    io.err(`wrote ${out}\n`);
  } else io.out(text);
  return 0;
}
