/**
 * The docs site's playground page: a family file in a text area (pre-filled with a built-in family, any of
 * which can be picked), a point, and, computed in the page by the browser bundle (no server, works offline
 * from file://): the Fisher metric at the point, a figure with geodesics, and the step-by-step derivation
 * rendered with KaTeX. The page script is src/report/site/playgroundClient.ts, built into playground.js.
 */
import { escapeHtml } from '../derivation/renderHtmlFragment.js';

/** A family offered in the playground's picker: its name and the text of its file. */
export interface PlaygroundFamily {
  readonly name: string;
  readonly text: string;
}

export const PLAYGROUND_FILE = 'playground.html';
export const PLAYGROUND_SCRIPT = 'playground.js';

export const PLAYGROUND_CSS = `
.playground textarea { width: 100%; min-height: 18rem; font-family: ui-monospace, monospace; font-size: 0.9rem; }
.playground .controls { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
.playground .controls input[type=text] { font-family: ui-monospace, monospace; min-width: 18rem; }
.playground .error { color: #a00; white-space: pre-wrap; font-family: ui-monospace, monospace; }
.playground table.metric td { font-family: ui-monospace, monospace; padding: 0 0.6rem; text-align: right; }
.playground figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
`;

/** The body (inside <main>) of the playground page. `initial` is the family shown first. */
export function playgroundBody(families: readonly PlaygroundFamily[], initial: string): string {
  const first = families.find((f) => f.name === initial) ?? families[0];
  // JSON inside <script type="application/json">: `<` escaped so that no `</script>` can end the element early.
  const data = JSON.stringify(families).replace(/</g, '\\u003c');
  return [
    '<h1>Playground</h1>',
    '<p>Edit a family file (format: <a href="guide-family-format.html">family-format</a>) or pick a built-in one, choose a point, and press <em>Derive</em>. ',
    'Everything is computed in this page by the infogeo browser bundle: no server, and it works offline.</p>',
    '<div class="playground">',
    '<div class="controls">',
    '<label>Built-in family <select id="pg-family">',
    ...families.map((f) => `<option value="${escapeHtml(f.name)}"${f === first ? ' selected' : ''}>${escapeHtml(f.name)}</option>`),
    '</select></label>',
    '</div>',
    `<textarea id="pg-source" spellcheck="false" aria-label="family file">${escapeHtml(first?.text ?? '')}</textarea>`,
    '<div class="controls">',
    '<label>Point <input type="text" id="pg-point" value="" placeholder="name=value,..."></label>',
    '<button type="button" id="pg-run">Derive</button>',
    '<span id="pg-status"></span>',
    '</div>',
    '<div id="pg-error" class="error" role="alert"></div>',
    '<section><h2>Fisher metric at the point</h2><div id="pg-metric"></div></section>',
    '<section><h2>Geodesics</h2><div id="pg-plot"></div></section>',
    '<section><h2>Derivation</h2><div id="pg-derivation"></div></section>',
    '</div>',
    `<script type="application/json" id="pg-families">${data}</script>`,
    `<script src="${PLAYGROUND_SCRIPT}"></script>`,
  ].join('\n');
}
