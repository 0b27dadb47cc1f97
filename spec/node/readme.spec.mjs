// The README's code is tested, block by block. Every fenced block is taken
// out with its line number and checked by its language:
//   js    tsc with checkJs (what `// @ts-check` gives: not strict), the name
//         `websocket-server` resolving to this package's dist/index.d.ts
//         through package.json `exports` (the files sit inside the package);
//   ts    `deno check` (strict), the package names mapped to lib/index.ts,
//         the sources JSR serves; a block that uses the `Bun` global gets the
//         ambient declaration below (bun-types is not installed: see BUN_TYPES);
//   html  the importmap parses and the module script is checked as js;
//   sh    `bash -n`, and every `npm run X`, npm script and repository path in
//         a command exists.
// A block without an import is an API fragment: it is checked with the
// library's exports and FRAGMENT_GLOBALS declared around it, never skipped.
// Then the Node, Deno and Bun quick starts run in their runtimes and a real
// client (ws) talks to each: echoes, a protocol error, every refusal status
// line, and a peer that resets the connection. Failures name the README line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as lib from '../../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, '.tmp/readme'); // inside the package, so that its own name resolves
const bin = (name) => join(root, 'node_modules/.bin', name);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

/**
 * npm scripts the README names that another change of the same issue adds;
 * the lead empties this list once they are merged.
 */

/** Every fenced block: { lang, code, line (of its first code line), heading }. */
function blocks() {
  const out = [];
  const lines = readme.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^#{2,3} /.test(lines[i])) heading = lines[i];
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    assert.ok(end < lines.length, `README.md:${i + 1}: a fence that is never closed`);
    out.push({ lang: open[1], code: lines.slice(start, end).join('\n') + '\n', line: start + 1, heading });
    i = end;
  }
  return out;
}

const BLOCKS = blocks();
const where = (b) => `README.md:${b.line}`;
const hasImport = (code) => /^\s*import\s/m.test(code);

/**
 * The members of Node's `node:net` the README uses, as @types/node declares
 * them, for when @types/node is not installed (it is not a devDependency):
 * a data chunk is a Buffer, which a plain Uint8Array is not. A script, not a
 * module, so that `declare module` declares rather than augments.
 */
const NODE_TYPES = `interface Buffer extends Uint8Array { equals(other: Uint8Array): boolean; toString(encoding?: string): string }
declare module 'node:net' {
  interface Socket {
    readonly writableEnded: boolean;
    on(event: 'data', listener: (data: Buffer) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: 'close' | 'end' | 'drain', listener: () => void): this;
    write(data: Uint8Array | string, callback?: (err?: Error) => void): boolean;
    end(callback?: () => void): this;
    end(data: Uint8Array | string, callback?: () => void): this;
  }
  interface Server { listen(port?: number, hostname?: string, listeningListener?: () => void): this; close(): this }
  function createServer(connectionListener?: (socket: Socket) => void): Server;
}
`;

/**
 * The members of bun-types 1.x the README's Bun block uses (bun-types is not
 * installed, and a made-up looser type would hide mistakes): Bun.listen, and a
 * socket whose write returns the bytes the kernel took, with the members the
 * Bun adapter calls (shutdown, pause, resume, setNoDelay, terminate).
 */
const BUN_TYPES = `declare namespace Bun {
  interface Socket<Data = undefined> {
    data: Data;
    write(data: string | ArrayBufferView | ArrayBuffer, byteOffset?: number, byteLength?: number): number;
    end(data?: string | ArrayBufferView | ArrayBuffer, byteOffset?: number, byteLength?: number): number;
    flush(): void;
    shutdown(halfClose?: boolean): void;
    terminate(): void;
    pause(): void;
    resume(): void;
    setNoDelay(noDelay?: boolean): boolean;
  }
  interface SocketHandler<Data = undefined> {
    binaryType?: 'arraybuffer' | 'uint8array' | 'buffer';
    open?(socket: Socket<Data>): void | Promise<void>;
    data?(socket: Socket<Data>, data: Uint8Array): void | Promise<void>;
    drain?(socket: Socket<Data>): void | Promise<void>;
    close?(socket: Socket<Data>, error?: Error): void | Promise<void>;
    end?(socket: Socket<Data>): void | Promise<void>;
    error?(socket: Socket<Data>, error: Error): void | Promise<void>;
  }
  interface TCPSocketListener<Data = undefined> { readonly port: number; readonly hostname: string; stop(closeActiveConnections?: boolean): void; data: Data }
  function listen<Data = undefined>(options: { hostname: string; port: number; socket: SocketHandler<Data>; data?: Data }): TCPSocketListener<Data>;
}
`;

/** What an API fragment (a block with no import) may use without declaring it. */
const FRAGMENT_GLOBALS = `import type * as lib from 'websocket-server';
declare global {
  const socket: { write(data: Uint8Array | string): boolean; end(data?: Uint8Array | string): void };
  const chunk: Uint8Array;
  const head: Uint8Array;
  const reader: lib.MessageReader;
${Object.keys(lib).map((name) => `  const ${name}: typeof lib.${name};`).join('\n')}
}
export {};
`;

/**
 * Every entry point's names (the JSR name and the npm name, with their
 * subpaths) mapped to its source in lib/, as jsr.json's exports say: what
 * Deno reads from JSR.
 */
function sourceImports() {
  const jsr = JSON.parse(readFileSync(join(root, 'jsr.json'), 'utf8'));
  const out = {};
  for (const [subpath, file] of Object.entries(jsr.exports)) {
    const to = join('../..', file);
    out[`jsr:@websocket-server/websocket-server${subpath.slice(1)}`] = to;
    out[`websocket-server${subpath.slice(1)}`] = to;
  }
  return out;
}

/** Every entry's bundle, by package subpath ('.', './node', ...), imported. */
const ENTRIES = await Promise.all(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports)
  .filter((k) => k !== './package.json')
  .map(async (k) => [k, await import(`../../dist/${k === '.' ? 'index' : k.slice(2)}.js`)]));

function fresh() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Maps "file(line,col)" or "file:line:col" back to the README block's line. */
function located(output, files) {
  const lines = [];
  for (const raw of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    let text = raw;
    for (const [name, { block, offset }] of files) {
      text = text.replace(new RegExp(`(?:file://)?[^\\s(]*${name.replace('.', '\\.')}(?:\\((\\d+),(\\d+)\\)|:(\\d+):(\\d+))`, 'g'),
        (_, l1, c1, l2, c2) => `README.md:${block.line + Number(l1 ?? l2) - 1 - offset}:${c1 ?? c2}`);
    }
    lines.push(text);
  }
  return lines.join('\n');
}

test('README: every fenced block has a language that is checked', () => {
  assert.ok(BLOCKS.length > 0, 'README has no code blocks');
  for (const b of BLOCKS) assert.ok(['js', 'ts', 'sh', 'html'].includes(b.lang), `${where(b)}: a block in ${JSON.stringify(b.lang)}, which nothing checks`);
});

test('README: every js block, and the module script of every html block, type-checks (tsc, checkJs)', () => {
  fresh();
  const files = new Map();
  let fragments = 0;
  const add = (block, code, offset = 0) => {
    const name = `L${block.line}.mjs`;
    if (!hasImport(code)) fragments++;
    // A trailing `export {}` makes every block a module, on a line of its own.
    writeFileSync(join(dir, name), code + '\nexport {};\n');
    files.set(name, { block, offset });
  };
  for (const b of BLOCKS) {
    if (b.lang === 'js') add(b, b.code);
    if (b.lang !== 'html') continue;
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(b.code);
    if (map) JSON.parse(map[1]);
    const m = /<script type="module">\n([\s\S]*?)<\/script>/.exec(b.code);
    assert.ok(m, `${where(b)}: an html block with no module script`);
    // Shifted so that line 1 of the script is its line in the README.
    const before = b.code.slice(0, m.index).split('\n').length;
    add(b, m[1], -before);
  }
  // A control: this one must fail, or the check proves nothing.
  writeFileSync(join(dir, 'control.mjs'), "import { computeAcceptKey } from 'websocket-server';\ncomputeAcceptKey(42);\n");
  const withNodeTypes = existsSync(join(root, 'node_modules/@types/node'));
  if (!withNodeTypes) writeFileSync(join(dir, 'node-types.d.ts'), NODE_TYPES);
  if (fragments) writeFileSync(join(dir, 'fragments.d.ts'), FRAGMENT_GLOBALS);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'ESNext', moduleResolution: 'Bundler',
      allowJs: true, checkJs: true, noEmit: true, strict: false, skipLibCheck: false,
      types: withNodeTypes ? ['node'] : [],
    },
    files: [...files.keys(), 'control.mjs', ...(withNodeTypes ? [] : ['node-types.d.ts']), ...(fragments ? ['fragments.d.ts'] : [])],
  }));
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '').trim();
  assert.ok(/control\.mjs\(2,\d+\): error TS2345/.test(out), `tsc did not catch the control's error:\n${out}`);
  const errors = out.split('\n').filter((l) => !l.startsWith('control.mjs')).join('\n').trim();
  assert.is(located(errors, files), '', 'README js blocks fail to type-check');
});

test('README: every ts block type-checks (deno check, strict; Bun blocks with the Bun declarations)', () => {
  fresh();
  const files = new Map();
  writeFileSync(join(dir, 'bun.d.ts'), BUN_TYPES);
  for (const b of BLOCKS) {
    if (b.lang !== 'ts') continue;
    const name = `L${b.line}.ts`;
    const bun = /\bBun\./.test(b.code);
    // The Bun block gets a reference on a first line of its own, which the line numbers skip.
    writeFileSync(join(dir, name), (bun ? '/// <reference path="./bun.d.ts" />\n' : '') + b.code + (hasImport(b.code) ? '' : '\nexport {};\n'));
    files.set(name, { block: b, offset: bun ? 1 : 0 });
  }
  assert.ok(files.size > 0, 'README has no ts blocks');
  writeFileSync(join(dir, 'control.ts'), "import { computeAcceptKey } from 'websocket-server';\nconst n: number = computeAcceptKey('x');\nconsole.log(n);\n");
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ imports: sourceImports() }));
  const r = spawnSync(bin('deno'), ['check', '--quiet', '--config', 'deno.json', ...files.keys(), 'control.ts'], { cwd: dir, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1' } });
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '').trim();
  assert.ok(/control\.ts:2:\d+/.test(out), `deno check did not catch the control's error:\n${out}`);
  // Drop the control's diagnostic (the lines from its error code to its location).
  const errors = out.split(/\n(?=TS\d+ )/).filter((e) => /^TS\d+ /.test(e) && !/control\.ts:\d+/.test(e));
  assert.is(located(errors.join('\n'), files), '', 'README ts blocks fail deno check');
});

test('README: every sh block parses, and names npm scripts and files that exist', () => {
  for (const b of BLOCKS) {
    if (b.lang !== 'sh') continue;
    const r = spawnSync('bash', ['-n'], { input: b.code, encoding: 'utf8' });
    assert.is(r.status, 0, `${where(b)}: bash -n: ${r.stderr}`);
    b.code.split('\n').forEach((text, i) => {
      const command = text.replace(/\s#.*$/, '');
      const at = `README.md:${b.line + i}`;
      const run = /\bnpm (?:run )?([\w:-]+)/.exec(command);
      if (run && !['install', 'pack', 'ci'].includes(run[1])) {
        assert.ok(run[1] in scripts, `${at}: no npm script ${run[1]}`);
      }
      for (const path of command.match(/\b(?:examples|spec|bench|lib|docs)\/[\w./-]+/g) ?? []) {
        assert.ok(existsSync(join(root, path)), `${at}: ${path} does not exist`);
      }
    });
  }
});

test('README: the rule table lists every rule of lib/rules.ts with its code and section', () => {
  const rows = new Map();
  for (const m of readme.matchAll(/^\|(.*)\|$/gm)) {
    const cells = m[1].split('|').map((c) => c.trim());
    for (let i = 0; i + 2 < cells.length; i += 3) {
      const id = /^`([a-z0-9-]+)`$/.exec(cells[i]);
      if (id) rows.set(id[1], [cells[i + 1], cells[i + 2]]);
    }
  }
  for (const [rule, { closeCode, rfc }] of Object.entries(lib.FRAME_RULES)) {
    assert.equal(rows.get(rule), [String(closeCode), rfc.replace('RFC 6455 ', '')], `README: frame rule ${rule}`);
  }
  for (const [rule, { status, rfc }] of Object.entries(lib.HANDSHAKE_RULES)) {
    assert.equal(rows.get(rule), [String(status), rfc], `README: handshake rule ${rule}`);
  }
  for (const [rule, { status, rfc }] of Object.entries(lib.CLIENT_HANDSHAKE_RULES)) {
    assert.equal(rows.get(rule), [String(status), rfc], `README: client handshake rule ${rule}`);
  }
});

test('README: the API section names every export of every entry point', () => {
  const api = readme.slice(readme.indexOf('\n## API'), readme.indexOf('\n## Limits and errors'));
  assert.ok(api.length > 100, 'README has no API section before "Limits and errors"');
  assert.ok(ENTRIES.length > 1, 'no entries besides the core');
  for (const [entry, mod] of ENTRIES) {
    for (const name of Object.keys(mod)) assert.ok(new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(api), `README's API section does not name ${name} (${entry})`);
  }
});

/** Non-blank lines that are not only a comment: how the README counts an example's lines. */
const codeLines = (text) => text.split('\n').filter((l) => l.trim() !== '' && !/^\s*(\/\/|\/\*|\*)/.test(l)).length;

test('the echo servers on the adapters are at most 40 lines each (issue 14)', () => {
  for (const file of ['examples/node/echo-server.mjs', 'examples/deno/echo-server.ts', 'examples/bun/echo-server.ts']) {
    const n = readFileSync(join(root, file), 'utf8').trimEnd().split('\n').length;
    assert.ok(n <= 40, `${file} has ${n} lines, over 40`);
  }
});

test('README: the example programs table states each program\'s line count, and the five of issue 14 are at most 25', () => {
  const rows = [...readme.matchAll(/^\| \[`(examples\/[^`]+)`\]\([^)]*\)[^|]*\| (\d+) \|$/gm)];
  const five = ['examples/deno/chat.ts', 'examples/bun/chat.ts', 'examples/node/subprotocol-server.mjs', 'examples/node/echo-client.mjs', 'examples/workerd/client.js'];
  assert.equal(rows.map((m) => m[1]).sort(), [...five].sort(), 'the table lists the five programs');
  for (const [, file, stated] of rows) {
    const n = codeLines(readFileSync(join(root, file), 'utf8'));
    assert.is(Number(stated), n, `README states ${stated} lines for ${file}, which has ${n}`);
    assert.ok(n <= 25, `${file} has ${n} lines, over 25`);
  }
});

// ---- The quick starts, run ----

function quickStart(heading) {
  const b = BLOCKS.find((x) => x.heading === heading && (x.lang === 'js' || x.lang === 'ts'));
  assert.ok(b, `README has no code under ${heading}`);
  assert.ok(b.code.includes('8080'), `${where(b)}: the quick start listens on 8080`);
  return b;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Writes the block with 8080 replaced by a free port, starts it, waits for its line. */
async function start(block, file, cmd, args) {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), block.code.replaceAll('8080', String(port)));
  const child = spawn(cmd, [...args, file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${where(block)}: no "listening" line in 60 s:\n${output}`)), 60_000);
    const take = (d) => { output += d; if (output.includes(`ws://127.0.0.1:${port}`)) { clearTimeout(timer); resolve(); } };
    child.stdout.on('data', take);
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${where(block)}: exited with ${code}:\n${output}`)); });
  });
  return { child, port, output: () => output };
}

function session(port, steps) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    const got = [];
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('client timed out')); }, 30_000);
    ws.on('open', () => steps(ws));
    ws.on('message', (data, isBinary) => got.push(isBinary ? ['binary', new Uint8Array(data)] : ['text', String(data)]));
    ws.on('pong', (data) => got.push(['pong', String(data)]));
    ws.on('close', (code) => { clearTimeout(timer); resolve({ got, code }); });
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Sends raw bytes; resolves everything the server wrote before it closed. */
function raw(port, bytes) {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no close after ${JSON.stringify(got.slice(0, 80))}`)); }, 30_000);
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
    s.on('close', () => { clearTimeout(timer); resolve(got); });
    s.write(bytes);
  });
}

/** Connects, sends `bytes`, then resets the connection (RST, not FIN). */
function reset(port, bytes) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(bytes, () => setTimeout(() => { s.resetAndDestroy(); resolve(); }, 50));
    });
    s.on('error', () => resolve());
  });
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const upgrade = (first, extra = '', version = '13') =>
  `${first}\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;

async function exercise(server) {
  const { port } = server;
  // Echoes, a pong, and the close handshake.
  const text = 'héllo, wörld 🌍'.repeat(100);
  const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) & 255);
  const a = await session(port, (ws) => { ws.send(text); ws.send(bytes); ws.ping('are you there'); ws.close(4001, 'done'); });
  assert.equal(a.got[0], ['text', text]);
  assert.equal(a.got[1], ['binary', bytes]);
  assert.equal(a.got[2], ['pong', 'are you there']);
  assert.is(a.got.length, 3);
  assert.is(a.code, 4001);
  // A protocol error: what came before is echoed, then Close 1002.
  const b = await session(port, (ws) => { ws.send('first'); ws._socket.write(Uint8Array.from([0x81, 0x02, 0x68, 0x69])); });
  assert.equal(b.got, [['text', 'first']]);
  assert.is(b.code, 1002);
  // Every refusal with its own status line.
  const status = async (request) => (await raw(port, request)).split('\r\n')[0];
  assert.is(await status('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'), 'HTTP/1.1 400 Bad Request');
  assert.is(await status(upgrade('GET / HTTP/1.1').replace(KEY, 'short')), 'HTTP/1.1 400 Bad Request');
  const post = await raw(port, upgrade('POST / HTTP/1.1'));
  assert.is(post.split('\r\n')[0], 'HTTP/1.1 405 Method Not Allowed');
  assert.ok(post.includes('\r\nAllow: GET\r\n'), 'a 405 names the allowed method (RFC 9110 §15.5.6)');
  const old = await raw(port, upgrade('GET / HTTP/1.1', '', '8'));
  assert.is(old.split('\r\n')[0], 'HTTP/1.1 426 Upgrade Required');
  assert.ok(old.includes('\r\nSec-WebSocket-Version: 13\r\n'), '426 names the version spoken');
  assert.is(await status(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(16500)}`), 'HTTP/1.1 431 Request Header Fields Too Large');
  // Peers that reset the connection, during the handshake and after it: the server lives on.
  await reset(port, 'GET / HTTP/1.1\r\nHo');
  await reset(port, upgrade('GET / HTTP/1.1'));
  const c = await session(port, (ws) => { ws.send('still there?'); ws.close(1000); });
  assert.equal(c.got, [['text', 'still there?']]);
  assert.is(c.code, 1000);
  assert.is(server.child.exitCode, null, `the server exited:\n${server.output()}`);
}

test('README: the in-memory test (Test code without a network) runs, and its comments say what it prints', () => {
  const b = BLOCKS.find((x) => x.heading === '## Test code without a network' && x.lang === 'js');
  assert.ok(b, 'README has no js block under "Test code without a network"');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'in-memory.mjs'), b.code);
  // Without colours (a test runner may force them): the text, as a terminal-less user sees it.
  const r = spawnSync(process.execPath, ['in-memory.mjs'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  assert.is(r.status, 0, `${where(b)}: exited with ${r.status}: ${r.stderr}`);
  // What it prints is what its last comment says.
  assert.match(r.stdout.replace(/\s+/g, ' ').trim(), /^\[ \{ type: 'open', protocol: 'chat', extensions: '' \}, \{ type: 'message', data: 'hello' \} \]$/, `${where(b)}: printed ${r.stdout}`);
  assert.match(b.code, /\/\/ \[\{ type: 'open', … \}, \{ type: 'message', data: 'hello' \}\]\n$/, `${where(b)}: its last comment`);
});

test('README Node quick start runs: echoes, refuses with the right status lines, survives resets', async () => {
  const block = quickStart('### Node');
  const server = await start(block, 'quick-node.mjs', process.execPath, []);
  try { await exercise(server); } finally { server.child.kill(); }
});

test('README Deno quick start runs in Deno (the JSR names mapped to lib/, as jsr.json says)', async () => {
  const block = quickStart('### Deno');
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ imports: sourceImports() }));
  const server = await start(block, 'quick-deno.ts', bin('deno'), ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--config', 'deno.json']);
  try { await exercise(server); } finally { server.child.kill(); }
});

test('README Bun quick start runs in Bun (the package name resolved through package.json exports)', async () => {
  const block = quickStart('### Bun');
  const server = await start(block, 'quick-bun.ts', bin('bun'), []);
  try { await exercise(server); } finally { server.child.kill(); }
});

test.run();
