// `npm run bench [-- --quick] [-- --only mask,sha1,encode,read,memory,e2e,inflate]`:
// prints one Markdown table per topic, then the list of targets met and missed.
// Run under Node (node --expose-gc bench/run.mjs), Deno or Bun (bench/runtimes.mjs).
import { machine, print, quick, runtime, setMachine, targets, wanted } from './_harness.mjs';

const TOPICS = ['mask', 'sha1', 'encode', 'read', 'memory', 'e2e', 'inflate', 'deflate', 'permessage'];
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

