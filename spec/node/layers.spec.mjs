// lib/'s imports only point down (spec/node/_layers.mjs), and the check itself
// catches what it is for: each kind of bad import is planted in a small fixture
// tree (never in lib/) and must be reported with both files named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLayers, importsOf, readLib } from './_layers.mjs';

/** A small lib/ that follows the rules; each test adds or replaces files. */
const GOOD = {
  'lib/index.ts': "export * from './frame/encode.ts';\nexport type * from './stream/message.ts';\nexport { accept } from './handshake/accept.ts';\n",
  'lib/errors.ts': "import type { Rule } from './rules.ts';\nexport class ProtocolError extends Error { rule?: Rule }\n",
  'lib/rules.ts': "export type Rule = 'a' | 'b';\n",
  'lib/primitives/_bytes.ts': 'export const ENCODER = new TextEncoder();\n',
  'lib/primitives/mask.ts': "import { ENCODER } from './_bytes.ts';\nimport { ProtocolError } from '../errors.ts';\nexport const mask = () => [ENCODER, ProtocolError];\n",
  'lib/frame/encode.ts': "import {\n  mask,\n} from '../primitives/mask.ts';\nexport const encode = mask;\n",
  'lib/handshake/accept.ts': "import { ENCODER } from '../primitives/_bytes.ts';\nexport const accept = () => ENCODER;\n",
  'lib/stream/message.ts': "import type { encode } from '../frame/encode.ts';\nexport type Message = ReturnType<typeof encode>;\n",
  'lib/connection/session.ts': "import type { Message } from '../stream/message.ts';\nexport type Session = { last: Message };\n",
  'lib/adapters/node.ts': "import type { Session } from '../connection/session.ts';\nexport type NodeSession = Session;\n",
};

const check = (changes) => checkLayers({ ...GOOD, ...changes });
/** Exactly one problem, which names both files and says `what`. */
function one(problems, from, to, what) {
  assert.is(problems.length, 1, problems.join('\n'));
  assert.ok(problems[0].includes(from), `${problems[0]}\nshould name ${from}`);
  assert.ok(problems[0].includes(to), `${problems[0]}\nshould name ${to}`);
  assert.match(problems[0], what);
}

test('lib/ itself: every import points down, no cycles', () => {
  const problems = checkLayers(readLib());
  assert.equal(problems, [], problems.join('\n'));
});

test('the fixture tree passes, all layers used (connection/ and adapters/ included)', () => {
  assert.equal(checkLayers(GOOD), []);
});

test('an upward import (frame/ importing stream/) names both files', () => {
  one(check({ 'lib/frame/encode.ts': "import { read } from '../stream/reader.ts';\nexport const encode = read;\n", 'lib/stream/reader.ts': 'export const read = 1;\n' }),
    'lib/frame/encode.ts:1', 'lib/stream/reader.ts', /upward, from frame\/ to stream\//);
});

test('an upward type-only import counts (primitives/ importing a connection/ type)', () => {
  one(check({ 'lib/primitives/_extra.ts': "import type { Session } from '../connection/session.ts';\nexport let s: Session;\n" }),
    'lib/primitives/_extra.ts:1', 'lib/connection/session.ts', /a type import of .*upward/);
});

test('the base importing a layer above it is upward', () => {
  one(check({ 'lib/rfc6455.ts': "import { mask } from './primitives/mask.ts';\nexport const MASK = mask;\n" }),
    'lib/rfc6455.ts:1', 'lib/primitives/mask.ts', /upward, from the base/);
});

test('a layer importing an entry is upward (the entry re-exports everything)', () => {
  one(check({ 'lib/adapters/node.ts': "export { encode } from '../index.ts';\n" }), 'lib/adapters/node.ts:1', 'lib/index.ts', /upward, from adapters\/ to an entry/);
});

test('siblings: handshake/ importing frame/, and frame/ re-exporting handshake/', () => {
  one(check({ 'lib/handshake/accept.ts': "import { encode } from '../frame/encode.ts';\nexport const accept = encode;\n" }),
    'lib/handshake/accept.ts:1', 'lib/frame/encode.ts', /siblings/);
  one(check({ 'lib/frame/encode.ts': "export { accept as encode } from '../handshake/accept.ts';\n" }),
    'lib/frame/encode.ts:1', 'lib/handshake/accept.ts', /siblings/);
});

test('a cycle of type-only imports inside one folder is reported with its path', () => {
  const problems = check({
    'lib/stream/a.ts': "import type { B } from './b.ts';\nexport type A = { b?: B };\n",
    'lib/stream/b.ts': "export type { A as B } from './a.ts';\n",
  });
  assert.equal(problems, ['import cycle (type imports count): lib/stream/a.ts -> lib/stream/b.ts -> lib/stream/a.ts']);
});

test('a cycle through the base is reported; a file importing itself too', () => {
  assert.equal(check({ 'lib/rules.ts': "import type { ProtocolError } from './errors.ts';\nexport type Rule = ProtocolError;\n" }),
    ['import cycle (type imports count): lib/errors.ts -> lib/rules.ts -> lib/errors.ts']);
  assert.equal(check({ 'lib/rules.ts': "import type { Rule as R } from './rules.ts';\nexport type Rule = 'a' | R;\n" }),
    ['import cycle (type imports count): lib/rules.ts -> lib/rules.ts']);
});

test('bare specifiers: node: modules and packages, type-only or not', () => {
  one(check({ 'lib/primitives/_bytes.ts': "import { Buffer } from 'node:buffer';\nexport const ENCODER = Buffer;\n" }), 'lib/primitives/_bytes.ts:1', 'node:buffer', /package/);
  one(check({ 'lib/stream/message.ts': "export type { WebSocket as Message } from 'ws';\n" }), 'lib/stream/message.ts:1', '"ws"', /a type import of the package/);
});

test('imports hidden in odd places are still seen: import() in code and in a type, import = require', () => {
  one(check({ 'lib/frame/close.ts': "export const close = () => import('../stream/message.ts');\n" }), 'lib/frame/close.ts:1', 'lib/stream/message.ts', /upward/);
  one(check({ 'lib/frame/close.ts': "export let close: import('../stream/message.ts').Message;\n" }), 'lib/frame/close.ts:1', 'lib/stream/message.ts', /type import .*upward/);
  one(check({ 'lib/frame/close.ts': "import fs = require('fs');\nexport const close = fs;\n" }), 'lib/frame/close.ts:1', '"fs"', /package/);
  assert.match(check({ 'lib/frame/close.ts': "const p = '../stream/message.ts';\nexport const close = () => import(p);\n" })[0], /lib\/frame\/close\.ts:2: import\(\) with a computed specifier/);
});

test('an import in a comment or a string is not an import', () => {
  assert.equal(importsOf('x.ts', "// import { a } from '../stream/x.ts';\nconst s = \"export * from '../adapters/y.ts'\";\n"), []);
});

test('paths outside lib/, missing files and unknown folders are reported', () => {
  one(check({ 'lib/frame/encode.ts': "export { frame } from '../../spec/_frames.mjs';\n" }), 'lib/frame/encode.ts:1', 'spec/_frames.mjs', /outside lib\//);
  one(check({ 'lib/frame/encode.ts': "export { x } from './nope.ts';\n" }), 'lib/frame/encode.ts:1', 'lib/frame/nope.ts', /not a file/);
  assert.match(check({ 'lib/extras/x.ts': 'export const x = 1;\n' }).join('\n'), /lib\/extras\/x\.ts: extras\/ is not a known layer/);
});

test.run();
