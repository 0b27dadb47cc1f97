// The import-direction check (issue 13, section 1): lib/ is layered by phase
// and imports only point down, with no cycles, type imports included (a type
// cycle still ties two layers together for whoever reads or moves them).
//
//   base: lib/*.ts that define things (errors.ts, rules.ts, rfc6455.ts)
//   <- primitives/ <- frame/, handshake/ and deflate/ (siblings) <- stream/
//   <- connection/ <- adapters/ and extensions/ (siblings) <- testing/
//   <- entries (lib/*.ts that only re-export)
//
// Files of one folder (or of the base) may import each other. The library has
// no dependencies and runs everywhere, so a bare specifier (`node:fs`, `ws`)
// is refused too. TypeScript's own parser reads the sources, so an import in a
// comment or a string is not one, and a multi-line one is.
//
//   node spec/node/_layers.mjs     prints each problem, exits 1 if any
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** lib/'s folders, bottom up; the rank is the index. Siblings share a rank. */
export const LAYERS = [['(base)'], ['primitives'], ['frame', 'handshake', 'deflate'], ['stream'], ['connection'], ['adapters', 'extensions'], ['testing'], ['(entry)']];
const RANK = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank])));
const ORDER = 'base <- primitives <- frame, handshake, deflate <- stream <- connection <- adapters, extensions <- testing <- entries';

/**
 * Every module specifier a source names, with its line and whether it is type-only.
 * @returns {{ spec: string | null, line: number, type: boolean }[]} spec null: a computed import()
 */
export function importsOf(file, source) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const add = (node, spec, type) => found.push({ spec, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, type });
  const literal = (n) => (n && ts.isStringLiteralLike(n) ? n.text : null);
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) add(node, literal(node.moduleSpecifier), !!node.importClause?.isTypeOnly);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, literal(node.moduleSpecifier), node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, literal(node.moduleReference.expression), node.isTypeOnly);
    else if (ts.isImportTypeNode(node)) add(node, ts.isLiteralTypeNode(node.argument) ? literal(node.argument.literal) : null, true);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, literal(node.arguments[0]), false);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** True when every statement re-exports from another module: an entry point. */
function onlyReExports(file, source) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return sf.statements.length > 0 && sf.statements.every((s) => ts.isExportDeclaration(s) && s.moduleSpecifier);
}

/** The layer of a path relative to lib/'s parent ('lib/frame/decode.ts'), or undefined for an unknown folder. */
function layerOf(file, source) {
  const parts = file.split('/');
  if (parts.length === 2) return onlyReExports(file, source) ? '(entry)' : '(base)';
  return RANK.has(parts[1]) && !parts[1].startsWith('(') ? parts[1] : undefined;
}

const describeLayer = (layer) => (layer === '(base)' ? 'the base (lib/*.ts that define things)' : layer === '(entry)' ? 'an entry (a lib/*.ts that only re-exports)' : `${layer}/`);

/**
 * Checks a set of sources.
 * @param {Record<string, string>} files source text by path, all under `lib/` ('lib/frame/decode.ts')
 * @returns {string[]} one line per problem, naming the importing file and what it imports
 */
export function checkLayers(files) {
  const problems = [];
  const layers = new Map();
  for (const [file, source] of Object.entries(files)) {
    const layer = layerOf(file, source);
    if (layer === undefined) problems.push(`${file}: ${file.split('/')[1]}/ is not a known layer of lib/ (${ORDER}); add it to LAYERS in spec/node/_layers.mjs`);
    else layers.set(file, layer);
  }
  const edges = new Map(Object.keys(files).map((f) => [f, []]));
  for (const [file, source] of Object.entries(files)) {
    const from = layers.get(file);
    for (const { spec, line, type } of importsOf(file, source)) {
      const at = `${file}:${line}`;
      const kind = type ? 'a type import of' : 'an import of';
      if (spec === null) { problems.push(`${at}: import() with a computed specifier; the check cannot see where it points`); continue; }
      if (!spec.startsWith('./') && !spec.startsWith('../')) {
        problems.push(`${at}: ${kind} the package "${spec}": lib/ imports only its own files (no dependencies, no runtime modules)`);
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      if (!(target in files)) {
        problems.push(`${at}: ${kind} ${spec}, which is ${target.startsWith('lib/') ? `not a file (${target})` : `outside lib/ (${target})`}`);
        continue;
      }
      edges.get(file).push(target);
      const to = layers.get(target);
      if (from === undefined || to === undefined) continue;
      if (from === to) continue; // within a folder, or within the base
      if (RANK.get(to) === RANK.get(from)) {
        problems.push(`${at}: ${kind} ${target}: ${describeLayer(from)} and ${describeLayer(to)} are siblings and must not import each other (${ORDER})`);
      } else if (RANK.get(to) > RANK.get(from)) {
        problems.push(`${at}: ${kind} ${target}: upward, from ${describeLayer(from)} to ${describeLayer(to)}; imports only point down (${ORDER})`);
      }
    }
  }
  for (const cycle of cycles(edges)) problems.push(`import cycle (type imports count): ${cycle.join(' -> ')}`);
  return problems;
}

/** One cycle per strongly connected component (Tarjan), each as a path that ends where it starts. */
function cycles(edges) {
  let next = 0;
  const index = new Map(), low = new Map(), stack = [], onStack = new Set(), found = [];
  const connect = (v) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v)) {
      if (!index.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = new Set();
    for (let w; w !== v;) { w = stack.pop(); onStack.delete(w); scc.add(w); }
    if (scc.size > 1 || edges.get(v).includes(v)) found.push(pathWithin(scc, edges, [...scc].sort()[0]));
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}

/** A shortest path from `start` back to itself through the component (breadth first). */
function pathWithin(scc, edges, start) {
  const before = new Map();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edges.get(v)) {
      if (!scc.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(before.get(path[0]));
        return [...path, start];
      }
      if (!before.has(w)) { before.set(w, v); queue.push(w); }
    }
  }
  return [start];
}

/** Every .ts file under `dir` (lib/), as { 'lib/...': source }. */
export function readLib(dir = fileURLToPath(new URL('../../lib', import.meta.url))) {
  const files = {};
  for (const f of readdirSync(dir, { recursive: true })) {
    if (!f.endsWith('.ts')) continue;
    files[posix.join('lib', relative(dir, join(dir, f)).split(sep).join('/'))] = readFileSync(join(dir, f), 'utf8');
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkLayers(readLib());
  for (const p of problems) console.log(p);
  console.log(`layers: ${problems.length} problem${problems.length === 1 ? '' : 's'} in lib/'s imports`);
  process.exitCode = problems.length ? 1 : 0;
}
