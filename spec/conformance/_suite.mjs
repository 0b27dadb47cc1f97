// The case runner and grader of the conformance suite (see run.mjs).
import { SERVERS, startServer, stopServer } from './_server.mjs';
import { connect } from './_client.mjs';

const PARALLEL = 4;
const CASE_TIMEOUT = 10000;

/**
 * Every case; for a server that answers upgrades only (`http: false`), 0.8 and
 * 0.9 in their upgrade-only form; sections 12 and 13 (permessage-deflate) for
 * a server that offers it (`compression: true`).
 */
export async function loadCases({ http = true, compression = false } = {}) {
  const files = ['_cases-handshake.mjs', '_cases-framing.mjs', '_cases-utf8.mjs', '_cases-close.mjs', '_cases-limits.mjs'];
  if (compression) files.push('_cases-compression.mjs');
  let all = [];
  for (const f of files) all.push(...(await import(`./${f}`)).default);
  if (!http) {
    const { upgradeOnly } = await import('./_cases-handshake.mjs');
    all = all.map((k) => upgradeOnly.find((u) => u.id === k.id) ?? k);
  }
  const ids = new Set();
  for (const k of all) {
    if (ids.has(k.id)) throw new Error(`Duplicate case id ${k.id}`);
    ids.add(k.id);
  }
  return all;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what)), ms); })]).finally(() => clearTimeout(timer));
}

function describe(ev) {
  if (ev === undefined) return 'nothing';
  const d = ev.data;
  const shown = d.length <= 24 ? (ev.type === 'text' ? JSON.stringify(d.toString()) : `<${d.toString('hex')}>`) : `${d.length} bytes`;
  return `${ev.type} ${shown}`;
}

/** Runs one case; resolves the list of its problems (empty: passed). */
export async function runCase(url, k) {
  const timeout = k.timeout ?? CASE_TIMEOUT;
  if (k.raw) {
    try {
      return await withTimeout(k.raw(url), timeout, `The case did not finish within ${timeout} ms`);
    } catch (e) {
      return [e.message];
    }
  }
  let c;
  try {
    c = await connect(url, k.connect);
  } catch (e) {
    return [`Handshake failed: ${e.message}`];
  }
  const problems = [];
  try {
    await withTimeout(Promise.resolve(k.run(c)), timeout, `The case did not finish within ${timeout} ms`);
    if (k.fail === undefined && !c.sentClose && c.close === null) {
      await c.waitEvents(k.expect.length, timeout);
      if (c.close === null) await c.sendClose(1000);
    }
    await c.waitClose(timeout);
    if (c.close !== null) await c.waitEnd(5000);
  } catch (e) {
    problems.push(e.message);
  } finally {
    c.destroy();
  }
  problems.push(...c.violations, ...c.problems);
  // The exact messages and pongs, in order.
  const n = Math.max(k.expect.length, c.events.length);
  for (let i = 0; i < n; i++) {
    const want = k.expect[i], got = c.events[i];
    if (want !== undefined && got !== undefined && want.type === got.type && want.data.equals(got.data)) continue;
    problems.push(`Event ${i + 1} of ${k.expect.length}: expected ${describe(want)}, got ${describe(got)}${c.events.length !== k.expect.length ? ` (${c.events.length} events in all)` : ''}`);
    break;
  }
  // Who closed, with which code, and TCP.
  if (c.close === null) {
    problems.push(`The server sent no Close frame${c.ended ? ' before closing TCP' : ` within ${timeout} ms`}`);
  } else if (k.fail !== undefined) {
    if (!c.close.byServer) problems.push(`The client had to close: the server should have failed the connection with ${k.fail}`);
    if (c.close.code !== k.fail) problems.push(`Close code ${c.close.code ?? '(none)'}, expected ${k.fail}`);
  } else {
    const echo = 'echo' in k ? k.echo : 1000;
    if (c.close.byServer) problems.push(`The server started the close (code ${c.close.code ?? '(none)'}); it should have answered the client's Close`);
    else if (c.close.code !== echo) problems.push(`The answering Close has code ${c.close.code ?? '(none)'}, expected ${echo ?? '(none)'} (RFC 6455 §5.5.1: echo the code)`);
    else if (k.reason !== undefined && c.close.reason !== k.reason) problems.push(`The answering Close has reason ${JSON.stringify(c.close.reason)}, expected ${JSON.stringify(k.reason)}`);
  }
  if (c.close !== null && !c.ended) problems.push('The server did not close TCP within 5 s of its Close (RFC 6455 §7.1.1)');
  return problems;
}

/** Runs the suite against server `name`; resolves { passed, failed, lines }. */
export async function runSuite(name, { filter, verbose = false, log = console.log, parallel = PARALLEL } = {}) {
  const server0 = typeof name === 'object' ? name : SERVERS[name];
  let cases = await loadCases({ http: server0?.http !== false, compression: server0?.compression === true });
  if (filter) {
    const wanted = filter.split(',');
    cases = cases.filter((k) => wanted.some((f) => k.id === f || k.id.startsWith(`${f}.`)));
  }
  if (cases.length === 0) throw new Error(`No case matches ${JSON.stringify(filter)}`);
  const started = Date.now();
  const server = await startServer(name);
  let exited = null;
  server.child.once('exit', (code, signal) => { exited = signal ?? code; });
  const failures = [];
  const sections = new Map();
  const results = new Map();
  try {
    // Light cases a few at a time (13's compression cases among them: small),
    // then the heavy sections (9: large messages; 12: compression up to
    // 128 KiB) two at a time, so that no case waits behind a 16 MiB echo on
    // this 2-core machine.
    const heavy = (k) => /^(9|12)\./.test(k.id);
    const phases = [cases.filter((k) => !heavy(k)), cases.filter(heavy)];
    for (const [list, n] of [[phases[0], parallel], [phases[1], 2]]) {
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const k = list[next++];
          const t = Date.now();
          const problems = exited === null ? await runCase(server.url, k) : [`The server exited (${exited})`];
          results.set(k.id, { problems, ms: Date.now() - t });
          const line = `FAIL ${k.id} ${k.title}: ${problems.join(' | ')}`;
          if (problems.length > 0) { failures.push(line); log(line); }
        }
      };
      await Promise.all(Array.from({ length: n }, worker));
    }
  } finally {
    if (exited !== null) log(`The ${name.label ?? name} server exited (${exited}) during the run: ${server.output()}`);
    await stopServer(server.child);
  }
  const passed = cases.length - failures.length;
  if (typeof name === 'object') name = name.label;
  if (verbose) {
    for (const k of cases) {
      const s = k.id.split('.')[0];
      const e = sections.get(s) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += results.get(k.id).ms;
      sections.set(s, e);
    }
    const slow = [...results].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5).map(([id, r]) => `${id} ${r.ms} ms`);
    log(`sections: ${[...sections].map(([s, e]) => `${s}: ${e.n} (${(e.ms / 1000).toFixed(1)} s)`).join(', ')}; slowest: ${slow.join(', ')}; wall ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  log(`conformance (${name}): ${passed} passed, ${failures.length} failed`);
  return { passed, failed: failures.length, failures };
}

