// Floods and slow peers against examples/core/echo-server.mjs (loopback only; each
// case starts its own server on port 0 and kills it when done).
//   node spec/floods/run.mjs              every case; ends with `floods: N passed, M failed`
//   node spec/floods/run.mjs --defeat     the same cases with each defence removed
//                                         (flags set to huge values, or a patched
//                                         copy of the session): every case must FAIL
//   node spec/floods/run.mjs --server P   against another server script
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SERVER, ROOT } from './_server.mjs';
import { CASES as FRAGMENTS } from './_fragments.mjs';
import { CASES as PINGS } from './_pings.mjs';
import { CASES as TIMEOUTS } from './_timeouts.mjs';
import { CASES as IDLE } from './_idle.mjs';

const CASE_MS = 60000;

// Patched copies of the session for --defeat, where no flag turns a defence off.
const MUTANTS = {
  [PINGS[0][0]]: ['this.io.pause();', '/* mutant: never pauses */'],
  [IDLE[0][0]]: ['this.reader = null;', 'this.reader = null; this.slab = new Uint8Array(65536).fill(1); /* mutant: a read buffer per connection */'],
};

function mutant(dir, [from, to]) {
  const src = readFileSync(resolve(ROOT, 'examples/core/_session.mjs'), 'utf8');
  if (!src.includes(from)) throw new Error(`Cannot build the mutant: ${JSON.stringify(from)} is not in examples/core/_session.mjs`);
  mkdirSync(dir, { recursive: true });
  // All of examples/, inside the package, so that `import 'websocket-server'` still resolves to this package.
  cpSync(resolve(ROOT, 'examples'), dir, { recursive: true });
  writeFileSync(resolve(dir, 'core/_session.mjs'), src.replace(from, to));
  return resolve(dir, 'core/echo-server.mjs');
}

async function main() {
  const argv = process.argv.slice(2);
  const defeat = argv.includes('--defeat');
  const at = argv.indexOf('--server');
  const script = at >= 0 ? resolve(argv[at + 1]) : DEFAULT_SERVER;
  const figures = {};
  const tmp = resolve(ROOT, `.tmp/floods-mutants-${process.pid}`);
  let passed = 0, failed = 0;
  const t0 = Date.now();
  try {
    for (const [name, run, notADefence] of [...FRAGMENTS, ...PINGS, ...TIMEOUTS, ...IDLE]) {
      if (defeat && notADefence) continue;
      const ctx = { script, defeat, figures };
      const started = Date.now();
      let detail, error = null;
      try {
        if (defeat && MUTANTS[name]) ctx.mutant = mutant(resolve(tmp, String(passed + failed)), MUTANTS[name]);
        detail = await Promise.race([run(ctx), new Promise((_, no) => setTimeout(() => no(new Error(`Case did not finish in ${CASE_MS / 1000} s`)), CASE_MS))]);
      } catch (e) {
        error = e;
      }
      const s = ((Date.now() - started) / 1000).toFixed(1);
      if (defeat) {
        // Here a failure is the expected outcome: the spec notices the missing defence.
        if (error && /Server did not print/.test(error.message)) { failed++; console.log(`FAIL ${name} [defence removed] the server did not start: ${error.message} (${s} s)`); }
        else if (error) { passed++; console.log(`ok   ${name} [defence removed] fails as it should: ${error.message} (${s} s)`); }
        else { failed++; console.log(`FAIL ${name} [defence removed] still passes: ${detail} (${s} s)`); }
      } else if (error) { failed++; console.log(`FAIL ${name}: ${error.message} (${s} s)`); }
      else { passed++; console.log(`ok   ${name}: ${detail} (${s} s)`); }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`floods${defeat ? ' --defeat' : ''}: ${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exitCode = failed ? 1 : 0;
  process.exit(); // every server was killed; close idle client handles too
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
