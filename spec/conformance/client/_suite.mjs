// The client suite's runner core (see ../client-run.mjs): starts the fuzzing
// server, spawns the agent, waits for it, and grades the run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../_server.mjs';
import { Fuzzer } from './_fuzzingserver.mjs';
import { AGENTS, RULES } from './_agents.mjs';

const FILES = ['_cases-handshake.mjs', '_cases-framing.mjs', '_cases-utf8.mjs', '_cases-close.mjs', '_cases-limits.mjs', '_cases-compression.mjs'];

/** Every case, in order; with `filter` (ids or prefixes, comma-separated) only those. */
export async function loadCases(filter) {
  const all = [];
  for (const f of FILES) all.push(...(await import(`./${f}`)).default);
  const ids = new Set();
  for (const k of all) {
    if (ids.has(k.id)) throw new Error(`Duplicate case id ${k.id}`);
    ids.add(k.id);
  }
  if (!filter) return all;
  const wanted = filter.split(',');
  const some = all.filter((k) => wanted.some((f) => k.id === f || k.id.startsWith(`${f}.`)));
  if (some.length === 0) throw new Error(`No case matches ${JSON.stringify(filter)}`);
  return some;
}

/**
 * Resolves { label, cmd, args, allow, compression } for a preset name (see _agents.mjs) or
 * a command line (split on spaces; `node` means this Node).
 */
export function resolveAgent(client, allow = []) {
  const preset = AGENTS[client];
  if (preset !== undefined) {
    if (!existsSync(join(ROOT, preset.file))) throw new Error(`Cannot run the ${client} agent: ${preset.file} does not exist`);
    const [cmd, args] = preset.cmd(preset.file);
    return { label: client, cmd, args, allow: new Set([...Object.keys(preset.allow ?? {}), ...allow]), compression: preset.compression !== false };
  }
  if (!/[\s/]/.test(client.trim())) throw new Error(`Unknown agent ${JSON.stringify(client)}: a preset (${Object.keys(AGENTS).join(', ')}) or a command line`);
  const [cmd, ...args] = client.trim().split(/\s+/);
  return { label: client, cmd: cmd === 'node' ? process.execPath : cmd, args, allow: new Set(allow), compression: true };
}

/**
 * Runs the suite against one agent. Resolves { passed, failed, failures, applied (allowance → case ids), seconds }.
 * @param {object} o { client, agent (the NAME it is given), filter, allow (extra rules), verbose, log, limit (s), cases,
 *   compression (false: the agent speaks no permessage-deflate; by default its preset's word, true for a command line) }
 */
export async function runClientSuite({ client, agent, filter, allow = [], verbose = false, log = console.log, limit = 180, cases, compression } = {}) {
  const who = resolveAgent(client, allow);
  for (const r of who.allow) if (!(r in RULES)) throw new Error(`Unknown allowance ${r} (known: ${Object.keys(RULES).join(', ')})`);
  agent ??= AGENTS[client] ? client : 'client';
  cases ??= await loadCases(filter);
  // An agent without permessage-deflate (the raw agent) runs every case but sections 12 and 13.
  if (!(compression ?? who.compression)) cases = cases.filter((k) => !/^1[23]\./.test(k.id));
  if (cases.length === 0) throw new Error(`No case left for ${who.label}`);
  const started = Date.now();
  const fuzzer = new Fuzzer(cases, { agent, allow: who.allow });
  const url = await fuzzer.listen();
  const child = spawn(who.cmd, [...who.args, '--url', url, '--agent', agent], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d) => { out = (out + d).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.once('exit', kill);
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; kill(); }, limit * 1000);
  const exit = await new Promise((resolve) => {
    child.once('error', (e) => resolve(`error: ${e.message}`));
    child.once('exit', (code, signal) => resolve(signal ?? code));
  });
  clearTimeout(timer);
  process.off('exit', kill);
  await fuzzer.stop();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const failures = [];
  const applied = new Map(); // allowance -> the ids of the cases it was used in
  for (const k of cases) {
    const r = fuzzer.results.get(k.id);
    if (r === undefined) failures.push(`FAIL ${k.id} ${k.title}: not run by the client`);
    else if (r.problems.length > 0) failures.push(`FAIL ${k.id} ${k.title}: ${r.problems.join(' | ')}`);
    for (const rule of r?.applied ?? []) applied.set(rule, [...(applied.get(rule) ?? []), k.id]);
  }
  const protocol = [...fuzzer.protocol];
  if (!fuzzer.reportsUpdated) protocol.push('the client never requested /updateReports');
  if (timedOut) protocol.push(`the client did not exit within ${limit} s (killed)`);
  else if (exit !== 0) protocol.push(`the client exited with ${exit}`);
  for (const p of protocol) failures.push(`FAIL protocol: ${p}`);
  if (protocol.length > 0 && out.trim()) failures.push(`     the client's last output: ${out.trim().split('\n').slice(-15).join('\n     ')}`);
  for (const line of failures) log(line);
  for (const [rule, ids] of applied) {
    log(`allowed for ${who.label}: ${rule}, used in ${ids.length} case${ids.length === 1 ? '' : 's'} (${RULES[rule]})${verbose ? `: ${ids.join(', ')}` : ''}`);
  }
  const failed = failures.filter((l) => l.startsWith('FAIL')).length;
  const passed = cases.filter((k) => fuzzer.results.get(k.id)?.problems.length === 0).length;
  if (verbose) {
    const sections = new Map();
    for (const k of cases) {
      const s = k.id.split('.')[0];
      const e = sections.get(s) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += fuzzer.results.get(k.id)?.ms ?? 0;
      sections.set(s, e);
    }
    const slow = [...fuzzer.results].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5).map(([id, r]) => `${id} ${r.ms} ms`);
    log(`sections: ${[...sections].map(([s, e]) => `${s}: ${e.n} (${(e.ms / 1000).toFixed(1)} s)`).join(', ')}; slowest: ${slow.join(', ')}; wall ${seconds} s`);
  }
  log(`client conformance (${who.label}): ${passed} passed, ${failed} failed`);
  return { passed, failed, failures, applied, seconds };
}
