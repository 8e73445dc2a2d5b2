/**
 * The parts of the `yaml` package infogeo uses, in one module: the published build inlines `yaml` here once
 * (scripts/build.mjs) instead of once per importing file; every other module imports YAML from this file.
 */
export { LineCounter, Scalar, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
