// Proof that the client suite can fail, and fails for the right reason: the
// suite's own strict raw client (_raw-agent.mjs) must pass every case with no
// allowance, each of its mutants (`--break RULE`: one rule broken) must fail
// the cases named here, and its legal variations must still pass everything.
//
//   node spec/conformance/client/mutants.mjs [--only RULE,…]
//
// Prints one line per agent and `client mutants: N passed, M failed` (an
// unbroken or legal agent that fails, or a mutant that goes unnoticed, is a
// failure); exits 1 on any. Runs in `npm test` (a few seconds: each mutant
// runs only the section or cases that must catch it, several at once).
import { runClientSuite } from './_suite.mjs';
import { BREAKS } from './_raw-agent.mjs';

const AGENT = 'node spec/conformance/client/_raw-agent.mjs';

// For each mutant: the cases to run, and those of them that must fail. A
// mutant that leaves the client silent waits out a case's timeout (4 s; 2 s
// for fail-fast), so those run two or three cases only.
const MUTANTS = {
  'no-mask': ['1.1', ['1.1.1', '1.1.7']],
  'zero-mask': ['1.1', ['1.1.1', '1.1.7']],
  'fixed-mask': ['1.5', ['1.5.1']],
  'long-length': ['1.1', ['1.1.1', '1.1.7']],
  'reuse-key': ['1.1', ['1.1.1']],
  'no-accept-check': ['0.2.1,0.2.2', ['0.2.1', '0.2.2']],
  'no-pong': ['2.1,2.10', ['2.1', '2.10']],
  'pong-empty': ['2', ['2.2', '2.4']],
  'answer-pong': ['2', ['2.7', '2.8', '2.9']],
  'big-ping': ['2', ['2.5']],
  'accept-rsv': ['3', ['3.1', '3.2', '3.5', '3.6']],
  'accept-opcode': ['4.1.1,4.2.3', ['4.1.1', '4.2.3']],
  'accept-masked': ['1.4', ['1.4.1', '1.4.2', '1.4.3', '1.4.4', '1.4.5']],
  'lenient-length': ['1.3', ['1.3.1', '1.3.2']],
  'binary-as-text': ['1.2', ['1.2.2', '1.2.7']],
  'no-utf8': ['6.3.1,6.4.1,6.20.1', ['6.3.1', '6.4.1', '6.20.1']],
  'late-utf8': ['6.4.1,6.4.4', ['6.4.1', '6.4.4']],
  'fail-1000': ['3,7.9', ['3.1', '7.9.1']],
  'fail-drop': ['3', ['3.1', '3.7']],
  'echo-1000': ['7.3,7.7', ['7.3.1', '7.7.2', '7.7.10']],
  'any-code': ['7.9,7.13', ['7.9.3', '7.9.4', '7.9.10', '7.13.1']],
  'after-close': ['7.1', ['7.1.3']],
  'tcp-first': ['7.2', ['7.2.1', '7.2.2', '7.2.3']],
  'never-close': ['1.1.1', ['1.1.1']],
};
const LEGAL = ['', 'fragment-echo', 'fail-then-close'];
const PARALLEL = 4;

for (const b of [...Object.keys(MUTANTS), ...LEGAL.filter(Boolean)]) if (!(b in BREAKS)) throw new Error(`mutants.mjs names ${b}, which _raw-agent.mjs does not know`);
for (const b of Object.keys(BREAKS)) if (!(b in MUTANTS) && !LEGAL.includes(b)) throw new Error(`_raw-agent.mjs breaks ${b}, which no entry here checks`);

const at = process.argv.indexOf('--only');
const only = at >= 0 ? process.argv[at + 1].split(',') : null;
const jobs = [
  ...LEGAL.map((b) => ({ b, legal: true })),
  ...Object.entries(MUTANTS).map(([b, [filter, mustFail]]) => ({ b, filter, mustFail })),
].filter((j) => only === null || only.includes(j.b || 'raw'));

let passed = 0, failed = 0;
const started = Date.now();
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const j = jobs[next++];
    const client = j.b ? `${AGENT} --break ${j.b}` : AGENT;
    const name = j.b || 'raw (unbroken)';
    const lines = [];
    // The raw agent speaks no permessage-deflate: sections 12 and 13 are left out (compression: false).
    const r = await runClientSuite({ client, agent: `raw-${j.b || 'strict'}`, filter: j.filter, log: (l) => lines.push(l), limit: 120, compression: false });
    const failedIds = new Set(r.failures.map((l) => /^FAIL (\S+)/.exec(l)?.[1]));
    if (j.legal) {
      const ok = r.failed === 0;
      if (ok) passed++; else failed++;
      console.log(ok ? `ok     ${name}${j.b ? ` (${BREAKS[j.b]})` : ''}: ${r.passed} cases pass (${r.seconds} s)` : `FAILED ${name}: ${r.failed} failures, e.g. ${r.failures.slice(0, 3).join(' || ').slice(0, 600)}`);
      continue;
    }
    const missed = j.mustFail.filter((id) => !failedIds.has(id));
    const ok = missed.length === 0;
    if (ok) passed++; else failed++;
    const example = r.failures.find((l) => l.startsWith(`FAIL ${j.mustFail[0]} `)) ?? r.failures[0] ?? '';
    console.log(ok
      ? `caught ${name} (${BREAKS[j.b]}): ${r.failed} of ${r.passed + r.failed} fail (${r.seconds} s), e.g. ${example.slice(0, 200)}`
      : `MISSED ${name} (${BREAKS[j.b]}): ${missed.join(', ')} passed (${r.failed} failures: ${r.failures.slice(0, 2).join(' || ').slice(0, 300)})`);
  }
}
await Promise.all(Array.from({ length: PARALLEL }, worker));
console.log(`client mutants: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = failed === 0 ? 0 : 1;
