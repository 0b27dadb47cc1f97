// Proof that the conformance suite can fail: each mutant is a copy of
// examples/core/_session.mjs with one rule broken, and the suite (sections 0-7, 10
// by default) must fail at least one case against each; then each compression
// mutant, a copy of examples/node/echo-server.mjs whose permessage-deflate
// breaks one rule of RFC 7692, must fail sections 12-13. Manual, a few minutes:
//
//   node spec/conformance/mutants.mjs [--filter 0,1,2,3,4,5,6,7,10]
//
// Prints one line per mutant and exits 1 if any mutant goes unnoticed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './_server.mjs';
import { runSuite } from './_suite.mjs';

const MUTANTS = {
  'close code and reason not echoed (RFC 6455 §5.5.1)': ['lib.encodeCloseFrame(m.code, m.reason)', 'lib.encodeCloseFrame(1000)'],
  'empty Close answered with 1000': ['m.code === 1005 ? lib.encodeCloseFrame()', 'm.code === 1005 ? lib.encodeCloseFrame(1000)'],
  'unsolicited Pong answered (RFC 6455 §5.5.3)': ['// Unsolicited pongs need no answer (RFC 6455 §5.5.3).', "else if (m.type === 'pong') this.send(lib.encodePongFrame(m.data));"],
  'TCP never closed by the server (RFC 6455 §7.1.1)': ['this.io.end();', '/* mutant: no end */'],
  'messages before a bad frame dropped': ['this.echo(e.messages);', '/* mutant: lost */'],
  'every failure closes with 1000 (RFC 6455 §7.4.1)': ['lib.encodeCloseFrame(e.closeCode)', 'lib.encodeCloseFrame(1000)'],
  // The Close for invalid UTF-8 waits for the next bytes, as a server that validates whole messages would.
  'invalid UTF-8 failed only when more bytes arrive: not fail-fast (RFC 6455 §8.1)': [
    "      this.echo(e.messages);\n      if (this.state === 'open') {",
    "      this.echo(e.messages);\n      if (e.closeCode === 1007 && !this.late) { this.late = true; this.reader = { push: () => { throw e; } }; return; }\n      if (this.state === 'open') {",
  ],
  'binary echoed as text': ["if (m.type === 'binary') this.send(lib.encodeBinaryFrame(m.data));", "if (m.type === 'binary') this.send(lib.encodeFrame(1, m.data));"],
  'bytes after the request head lost': ['if (req.headLength < head.length) this.frames(head.subarray(req.headLength));', '/* mutant: lost */'],
  'another version gets 400, not 426 (RFC 6455 §4.4)': ["if (req.version !== undefined && req.version !== '13') return this.reject(426", "if (false) return this.reject(426"],
};

// Each wraps the echo server's extension: `e` is permessageDeflate(), the mutant's negotiate breaks a rule.
const WRAP = (negotiate) => `extensions: [((e) => ({ ...e, negotiate: ${negotiate} }))(permessageDeflate({ threshold: 0 }))]`;
const DEFLATE_MUTANTS = {
  // The harness then inflates without the history; the server's back-references into it fail.
  'answers server_no_context_takeover but keeps its context (RFC 7692 §7.1.1.1)': WRAP(`(offers) => { const r = e.negotiate(offers.map(({ server_no_context_takeover, ...o }) => o)); if (r && offers.some((o) => o.server_no_context_takeover)) r.params = { server_no_context_takeover: true, ...r.params }; return r; }`),
  'accepts offers it must decline (RFC 7692 §7.1)': WRAP('() => e.negotiate([{}])'),
  'answers client_max_window_bits when not offered (RFC 7692 §7.1.2.2)': WRAP(`(offers) => { const r = e.negotiate(offers); if (r) r.params = { ...r.params, client_max_window_bits: '15' }; return r; }`),
  'ignores server_max_window_bits (RFC 7692 §7.1.2.1)': WRAP(`(offers) => e.negotiate(offers.map(({ server_max_window_bits, ...o }) => o))`),
};

const at = process.argv.indexOf('--filter');
const filter = at >= 0 ? process.argv[at + 1] : '0,1,2,3,4,5,6,7,10';
const src = readFileSync(join(ROOT, 'examples/core/_session.mjs'), 'utf8');
const dir = join(ROOT, `.tmp/conformance-mutants-${process.pid}`);
let missed = 0;
try {
  for (const [name, [from, to]] of Object.entries(MUTANTS)) {
    if (!src.includes(from)) { missed++; console.log(`BROKEN ${name}: the text to patch is not in examples/core/_session.mjs`); continue; }
    // Inside the package, so that `import 'websocket-server'` still resolves.
    // The layout of examples/: core/ beside _cli.mjs and index.html.
    mkdirSync(join(dir, 'core'), { recursive: true });
    cpSync(join(ROOT, 'examples/core/echo-server.mjs'), join(dir, 'core/echo-server.mjs'));
    cpSync(join(ROOT, 'examples/index.html'), join(dir, 'index.html'));
    cpSync(join(ROOT, 'examples/_cli.mjs'), join(dir, '_cli.mjs'));
    writeFileSync(join(dir, 'core/_session.mjs'), src.replace(from, to));
    const file = dir.slice(ROOT.length + 1) + '/core/echo-server.mjs';
    const server = { label: name, file, cmd: () => [process.execPath, [file, '--port', '0']] };
    const { failed, failures } = await runSuite(server, { filter, parallel: 16, log: () => {} });
    if (failed === 0) missed++;
    console.log(failed > 0 ? `caught ${name}: ${failed} cases fail, e.g. ${failures[0].slice(0, 140)}` : `MISSED ${name}: every case passed`);
  }
  const node = readFileSync(join(ROOT, 'examples/node/echo-server.mjs'), 'utf8');
  const FROM = 'extensions: [permessageDeflate()]';
  for (const [name, to] of Object.entries(DEFLATE_MUTANTS)) {
    if (!node.includes(FROM)) { missed++; console.log(`BROKEN ${name}: ${FROM} is not in examples/node/echo-server.mjs`); continue; }
    mkdirSync(join(dir, 'node'), { recursive: true });
    // Its imports made absolute: the copy lives elsewhere.
    const patched = node.replace(FROM, to).replace(/'\.\.\/\.\.\/dist\//g, `'${pathToFileURL(join(ROOT, 'dist'))}/`).replace("'../_cli.mjs'", `'${pathToFileURL(join(ROOT, 'examples/_cli.mjs'))}'`).replace("new URL('../index.html', import.meta.url)", `new URL('${pathToFileURL(join(ROOT, 'examples/index.html'))}')`);
    writeFileSync(join(dir, 'node/echo-server.mjs'), patched);
    const file = dir.slice(ROOT.length + 1) + '/node/echo-server.mjs';
    const server = { label: name, file, cmd: () => [process.execPath, [file, '--port', '0']], compression: true };
    const { failed, failures } = await runSuite(server, { filter: '12.1,13', parallel: 16, log: () => {} });
    if (failed === 0) missed++;
    console.log(failed > 0 ? `caught ${name}: ${failed} cases fail, e.g. ${failures[0].slice(0, 140)}` : `MISSED ${name}: every case passed`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`mutants: ${Object.keys(MUTANTS).length + Object.keys(DEFLATE_MUTANTS).length - missed} caught, ${missed} missed`);
process.exitCode = missed === 0 ? 0 : 1;
