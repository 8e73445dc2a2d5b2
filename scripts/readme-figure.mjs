#!/usr/bin/env node
// Regenerates docs/img/normal-geometry.svg, the README picture: the first figure of the normal family's docs
// page (Fisher ellipses and a fan of geodesics), from the built package (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { compileFamily, deriveFamily, familyFigures, loadFamily } from '../dist/index.js';

const spec = loadFamily('normal');
const fig = familyFigures(spec.params, compileFamily(deriveFamily(spec)))[0];
writeFileSync(new URL('../docs/img/normal-geometry.svg', import.meta.url), fig.svg);
console.log(`${fig.id}: ${fig.caption}`);
