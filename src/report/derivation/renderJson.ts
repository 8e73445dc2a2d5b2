/**
 * A {@link DerivationDocument} as JSON: `{family, title, params, routes, identified, sections: [{id, title, blocks}]}`
 * where a block is `{kind: 'text', text}` or `{kind: 'equations', equations: [{lhs, rel, rhs, lines?, suffix?,
 * source}]}`; `lhs`/`rhs` are TeX (`lines`: rhs broken to fit a page), `source` the mathjs text of the derived
 * value (string, or nested arrays for matrices). `identified` lists constants found numerically rather than by
 * algebra: `{quantity, value, points, maxDeviation}`.
 */
import type { DerivationDocument } from './derivationDocument.js';

export function renderJson(doc: DerivationDocument): string {
  return JSON.stringify(
    {
      family: doc.family,
      title: doc.title,
      params: doc.params,
      routes: doc.routes,
      identified: doc.identified ?? [],
      sections: doc.sections.map((s) => ({
        id: s.id,
        title: s.title,
        blocks: s.blocks.map((b) =>
          b.kind === 'text'
            ? b
            : { kind: 'equations', equations: b.equations.map((e) => ({ lhs: e.lhs, rel: e.rel ?? '=', rhs: e.rhs, ...(e.lines ? { lines: e.lines } : {}), ...(e.suffix ? { suffix: e.suffix } : {}), source: e.source ?? null })) },
        ),
      })),
    },
    null,
    2,
  ) + '\n';
}
