// `npm run bench [-- --quick] [-- --only mask,sha1,encode,read,memory,e2e,inflate]`:
// prints one Markdown table per topic, then the list of targets met and missed.
// Run under Node (node --expose-gc bench/run.mjs), Deno or Bun (bench/runtimes.mjs).
import { argv, machine, print, quick, runtime, setMachine, targets, wanted } from './_harness.mjs';

const TOPICS = ['mask', 'sha1', 'encode', 'read', 'memory', 'e2e', 'inflate', 'deflate', 'permessage'];
// Any other argument (--help included) prints the usage instead of running every topic for minutes.
const args = argv();
const bad = args.find((a, i) => !(a === '--quick' || a === '--only' || (args[i - 1] === '--only' && a.split(',').every((t) => TOPICS.includes(t)))));
if (bad !== undefined || (args.includes('--only') && args[args.indexOf('--only') + 1] === undefined)) {
  console.log(`usage: node --expose-gc bench/run.mjs [--quick] [--only ${TOPICS.join(',')}]${bad === undefined || bad === '--help' ? '' : `\nunknown argument or topic: ${bad}`}`);
  globalThis.process?.exit(bad === '--help' ? 0 : 2);
  globalThis.Deno?.exit(bad === '--help' ? 0 : 2);
}
const t0 = Date.now();
const line = await machine();
setMachine(line);
console.log(`# websocket-server benchmarks${quick ? ' (--quick)' : ''}\n\nMachine: ${line}`);
for (const topic of TOPICS) {
  if (!wanted(topic)) continue;
  const mod = await import(`./${topic}.mjs`);
  await mod.run();
}
const rows = targets().map((t) => [t.topic, t.target, t.figure, t.met ? 'MET' : 'MISSED']);
print(`Targets (${runtime.name} ${runtime.version})`, ['topic', 'target', 'figure', 'verdict'], rows,
  [`${rows.filter((r) => r[3] === 'MET').length} met, ${rows.filter((r) => r[3] !== 'MET').length} missed; ${((Date.now() - t0) / 1000).toFixed(0)} s.`]);

