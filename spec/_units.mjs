// The unit specs: spec/ mirrors lib/, so a unit spec is any *.spec.mjs at the
// top of spec/ or in a folder named after a lib/ folder. The other folders
// (node, conformance, clients, runtimes, fuzz, floods, adapters) are stages of their own.
// Used by spec/_run.mjs (Node) and spec/runtimes/_bundle.mjs (every runtime).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const spec = dirname(fileURLToPath(import.meta.url));
const lib = join(spec, '../lib');

/**
 * lib/'s folders, which spec/ mirrors, but adapters/: each adapter drives one
 * runtime's sockets, so spec/adapters/ holds per-runtime specs that are
 * stages of their own (spec/_run.mjs), not specs every runtime runs.
 */
export const UNIT_DIRS = readdirSync(lib, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'adapters').map((d) => d.name).sort();

/** Paths relative to spec/, sorted. */
export function unitSpecs() {
  const out = readdirSync(spec).filter((f) => f.endsWith('.spec.mjs'));
  for (const dir of UNIT_DIRS) {
    let files = [];
    try { files = readdirSync(join(spec, dir)); } catch { continue; }
    out.push(...files.filter((f) => f.endsWith('.spec.mjs')).map((f) => `${dir}/${f}`));
  }
  return out.sort();
}

/** uvu's pattern (matched against paths relative to spec/) for the same files. */
export const UNIT_PATTERN = `^(${UNIT_DIRS.join('|')})/[^/]*\\.spec\\.mjs$|^[^/]*\\.spec\\.mjs$`;

/**
 * uvu patterns for the unit specs split into `n` groups, for running them in
 * parallel. Files are dealt round-robin in sorted order, which spreads each
 * folder's specs (the slow ones, stream/'s, sit together) over the groups.
 */
export function unitShards(n) {
  const groups = Array.from({ length: n }, () => []);
  unitSpecs().forEach((f, i) => groups[i % n].push(f.replace(/[.]/g, '\\.')));
  return groups.filter((g) => g.length).map((g) => `^(${g.join('|')})$`);
}
