// `npm run bench:runtimes [-- --quick] [-- --only ...]`: the same topics under
// Deno and Bun (the end-to-end topic needs Node and says so). Each runtime runs
// bench/run.mjs in its own process; arguments are passed through.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const RUNS = [
  ['deno', bin('deno'), ['run', '-A', '--v8-flags=--expose-gc', 'bench/run.mjs', ...args]],
  ['bun', bin('bun'), ['bench/run.mjs', ...args]],
];
let failed = 0;
for (const [name, cmd, argv] of RUNS) {
  console.log(`\n## ${name}\n`);
  // Bounded: a hung runtime must not hang the script (10 minutes each at most).
  const r = spawnSync(cmd, argv, { cwd: new URL('..', import.meta.url), stdio: 'inherit', timeout: 600000 });
  if (r.status !== 0) { failed++; console.error(`${name} failed (${r.error?.message ?? `exit ${r.status}`})`); }
}
process.exit(failed ? 1 : 0);
