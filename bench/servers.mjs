// `npm run bench:servers [-- --quick] [-- --only small,16k,idle,heap] [-- --servers node-ours,node-ws]`
//
// The end-to-end server benchmark (issue 14): our echo servers on Node, Deno
// and Bun against the servers users would pick instead, all driven by one raw
// TCP WebSocket client (bench/load.mjs, in this process) in ONE run, in
// alternating rounds (the order rotates every round) so that machine noise
// hits every server alike. The load generator is pinned to one core and every
// server to the other (`taskset`), where the machine has two cores and taskset.
//
// Workloads:
//   small  17-byte text messages, 16 connections x 8 in flight
//   16k    16 KiB binary messages, 16 connections x 2 in flight
//   idle   Node servers, 16 KiB: a round, 30 s idle with no connection, a round again;
//          minor page faults per message in both
//   heap   Node servers: JS heap (after a forced GC) per idle open connection, 2,000 of them
//
// Every echo is checked, content and count (see bench/load.mjs): each server
// first gets a short checking run per workload (a server that fails it is
// marked ✘ and not timed), and a timed round with any wrong or missing echo is
// left out of the medians and counted in the table. A benchmark reports: a
// missed target prints MISS, the exit code stays 0. See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { load, openIdle } from './load.mjs';

// ---------------------------------------------------------------------------
// The servers, one entry each: the runtime that runs it, its program (a path
// from the repository's root) and its arguments. Each program takes `--port 0`
// and prints a line with ws://HOST:PORT once listening. `ours: true` marks our
// example servers; the rivals' programs are in bench/servers/. To move to other
// example paths (examples/node/echo-server.mjs, examples/deno/echo-server.ts,
// examples/bun/echo-server.ts), change `file` here: nothing else names them.
export const SERVERS = [
  { id: 'node-ours', runtime: 'node', ours: true, label: 'ours', file: 'examples/node/echo-server.mjs', args: ['--heartbeat', '0'] },
  { id: 'node-bare', runtime: 'node', label: 'bare node:net echo', file: 'bench/servers/node-bare-echo.mjs', args: [] },
  { id: 'node-ws', runtime: 'node', label: 'ws', file: 'bench/servers/ws-echo.mjs', args: ['--bufferutil', 'off'] },
  { id: 'node-ws-bufferutil', runtime: 'node', label: 'ws + bufferutil', file: 'bench/servers/ws-echo.mjs', args: ['--bufferutil', 'on'] },
  { id: 'deno-ours', runtime: 'deno', ours: true, label: 'ours', file: 'examples/deno/echo-server.ts', args: ['--heartbeat', '0'] },
  { id: 'deno-serve', runtime: 'deno', label: 'Deno.serve + Deno.upgradeWebSocket', file: 'bench/servers/deno-serve-echo.ts', args: [] },
  { id: 'bun-ours', runtime: 'bun', ours: true, label: 'ours', file: 'examples/bun/echo-server.ts', args: ['--heartbeat', '0'] },
  { id: 'bun-serve', runtime: 'bun', label: 'Bun.serve', file: 'bench/servers/bun-serve-echo.ts', args: [] },
];

/** Issue 14's targets: messages/s of `ours` over those of `rival`, at least `min`. */
const TARGETS = [
  { workload: 'small', ours: 'node-ours', rival: 'node-bare', min: 0.8 },
  { workload: 'small', ours: 'node-ours', rival: 'node-ws', min: 4 },
  { workload: '16k', ours: 'node-ours', rival: 'node-ws-bufferutil', min: 1.3 },
  { workload: 'idle', ours: 'node-ours', rival: 'node-ws-bufferutil', min: 1.3 },
  { workload: 'small', ours: 'bun-ours', rival: 'bun-serve', min: 0.7 },
  { workload: '16k', ours: 'bun-ours', rival: 'bun-serve', min: 1 },
  { workload: 'small', ours: 'deno-ours', rival: 'deno-serve', min: 1 },
  { workload: '16k', ours: 'deno-ours', rival: 'deno-serve', min: 1 },
];

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = (name) => `${ROOT}node_modules/.bin/${name}`;
const HOOK = new URL('./servers/_heap-hook.mjs', import.meta.url).href;

/** How each runtime starts a program. Node servers get the heap hook (bench/servers/_heap-hook.mjs). */
const RUNTIMES = {
  node: { bin: process.execPath, argv: (file) => ['--expose-gc', '--import', HOOK, file] },
  deno: { bin: BIN('deno'), argv: (file) => ['run', '-A', file] },
  bun: { bin: BIN('bun'), argv: (file) => [file] },
};

const WORKLOADS = {
  small: { name: 'small', title: '17-byte text, 16 connections x 8 in flight', size: 17, binary: false, connections: 16, inflight: 8 },
  '16k': { name: '16k', title: '16 KiB binary, 16 connections x 2 in flight', size: 16384, binary: true, connections: 16, inflight: 2 },
};

// ---------------------------------------------------------------------------
// The command line.
const argv = process.argv.slice(2);
const usage = 'usage: node bench/servers.mjs [--quick] [--only small,16k,idle,heap] [--servers id,id]';
let quick = false, only = null, pick = null;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--quick') quick = true;
  else if (argv[i] === '--only' && argv[i + 1]) only = argv[++i].split(',');
  else if (argv[i] === '--servers' && argv[i + 1]) pick = argv[++i].split(',');
  else { console.error(`${usage}\nunknown argument ${argv[i]}`); process.exit(2); }
}
const TOPICS = ['small', '16k', 'idle', 'heap'];
for (const t of only ?? []) if (!TOPICS.includes(t)) { console.error(`${usage}\n--only takes ${TOPICS.join(', ')}`); process.exit(2); }
for (const id of pick ?? []) if (!SERVERS.some((s) => s.id === id)) { console.error(`${usage}\n--servers takes ${SERVERS.map((s) => s.id).join(', ')}`); process.exit(2); }
const wanted = (topic) => only === null || only.includes(topic);
const chosen = SERVERS.filter((s) => pick === null || pick.includes(s.id));

/**
 * Round shapes: a full run takes about 6 minutes, --quick about one. Many
 * short rounds rather than a few long ones: on a shared machine a burst of
 * someone else's work then spoils a round of each server, not a whole median.
 */
const ROUNDS = quick ? 2 : 7;
const WARMUP = quick ? 0.2 : 0.3; // seconds at the start of each round, not counted
const SECONDS = quick ? 0.8 : 1.5; // seconds counted per round
const IDLE = quick ? 3 : 30; // seconds of idleness in the idle workload
const IDLE_CYCLES = quick ? 1 : 3; // round, idle, round: how many times
const HEAP_CONNECTIONS = quick ? 500 : 2000;
const HEAP_CYCLES = quick ? 1 : 3; // measured cycles of the heap workload (after one warm-up cycle)

// ---------------------------------------------------------------------------
// The machine: cores, pinning, /proc.
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), h = s.length >> 1; return s.length ? (s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2) : NaN; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const read = (path) => { try { return readFileSync(path, 'utf8'); } catch { return null; } };

/** The cores this process may run on, from /proc/self/status (else all of them). */
function allowedCores() {
  const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(read('/proc/self/status') ?? '');
  if (!m) return Array.from({ length: os.cpus().length }, (_, i) => i);
  const cores = [];
  for (const part of m[1].split(',')) {
    const [a, b = a] = part.split('-').map(Number);
    for (let c = a; c <= b; c++) cores.push(c);
  }
  return cores;
}

/**
 * Pins this process (every thread: -a) to the first allowed core and returns
 * the core for the servers; null (with a note) when that cannot be done.
 */
function pin() {
  const cores = allowedCores();
  if (cores.length < 2) return { serverCore: null, note: `unpinned: only ${cores.length} core allowed (${cores.join(',')}); the load generator and the servers share it` };
  const t = spawnSync('taskset', ['-a', '-p', '-c', String(cores[0]), String(process.pid)], { encoding: 'utf8' });
  if (t.error || t.status !== 0) return { serverCore: null, note: `unpinned: taskset is missing or failed (${t.error?.code ?? t.stderr.trim()}); the load generator and the servers share ${cores.length} cores` };
  return { serverCore: cores[1], note: `load generator (this process) pinned to core ${cores[0]}, each server to core ${cores[1]} (taskset)` };
}

const HZ = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** A process's CPU seconds (utime + stime, all threads) and minor page faults, from /proc/PID/stat. */
function procStat(pid) {
  const s = read(`/proc/${pid}/stat`);
  if (s === null) return { cpu: NaN, minflt: NaN };
  const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return { cpu: (Number(f[11]) + Number(f[12])) / HZ, minflt: Number(f[7]) };
}

/**
 * Seconds the process's main thread spent waiting on a run queue for a core
 * (the second field of /proc/PID/schedstat): time other processes on a shared
 * machine took from it. NaN where the kernel keeps no schedstat.
 */
function queued(pid) {
  const s = read(`/proc/${pid}/schedstat`);
  return s === null ? NaN : Number(s.split(' ')[1]) / 1e9;
}

/** Resident memory in bytes (VmRSS), from /proc/PID/status. */
function rss(pid) {
  const m = /^VmRSS:\s*(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) * 1024 : NaN;
}

/** The soft limit on open files, from /proc/PID/limits. */
function fileLimit(pid = 'self') {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(read(`/proc/${pid}/limits`) ?? '');
  return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : NaN;
}

// ---------------------------------------------------------------------------
// Servers: started once, each on its own port, killed at the end whatever happens.
const children = new Set();
function killAll() { for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } } }
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { killAll(); process.exit(130); });

/** Starts one server; resolves a handle with its url and pid once it printed its ws:// line. */
function start(entry, serverCore) {
  const rt = RUNTIMES[entry.runtime];
  const cmd = [rt.bin, ...rt.argv(entry.file), '--port', '0', ...entry.args];
  const [bin, ...rest] = serverCore === null ? cmd : ['taskset', '-c', String(serverCore), ...cmd];
  return new Promise((resolve, reject) => {
    // taskset execs the server: the child's pid is the server's own.
    const child = spawn(bin, rest, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    children.add(child);
    const srv = { entry, child, pid: child.pid, url: null, dead: false, waiters: [], stderr: '' };
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${entry.file} printed no ws:// line in 30 s`)); }, 30000);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (srv.url === null) {
          const m = line.match(/ws:\/\/[^\s)]+/);
          if (m) { srv.url = m[0]; srv.banner = line; clearTimeout(timer); resolve(srv); }
        } else if (line.startsWith('heap ') && srv.waiters.length) srv.waiters.shift()(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => { srv.stderr += d; process.stderr.write(d.replace(/^(?=.)/gm, `[${entry.id}] `)); });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => {
      srv.dead = true;
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`${entry.file} exited (${signal ?? code}) before listening${srv.stderr ? `: ${srv.stderr.trim().split('\n').pop()}` : ''}`));
    });
  });
}

/** Asks a Node server for its heap (SIGUSR2, answered by the heap hook); null after 5 s. */
function heapOf(srv) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { srv.waiters = srv.waiters.filter((w) => w !== got); resolve(null); }, 5000);
    const got = (line) => {
      clearTimeout(timer);
      resolve(Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k, Number(v)])));
    };
    srv.waiters.push(got);
    try { process.kill(srv.pid, 'SIGUSR2'); } catch { clearTimeout(timer); resolve(null); }
  });
}

/** One measured round of a workload against one server, with the server's CPU time and page faults. */
async function round(srv, w, { warmup, seconds }) {
  const p0 = procStat(srv.pid), t0 = performance.now(), rss0 = rss(srv.pid), q0 = queued(srv.pid), l0 = queued('self');
  const r = await load(srv.url, { connections: w.connections, inflight: w.inflight, size: w.size, binary: w.binary, warmup, seconds });
  const p1 = procStat(srv.pid), wall = (performance.now() - t0) / 1000;
  const q1 = queued(srv.pid), l1 = queued('self');
  const cpu = p1.cpu - p0.cpu;
  return {
    ...r, wall, rssBefore: rss0, rssAfter: rss(srv.pid),
    ok: r.errors === 0 && r.total > 0 && !srv.dead,
    cpuPerMsg: cpu / r.total, // whole round (warm-up and drain included) over every echo in it
    faultsPerMsg: (p1.minflt - p0.minflt) / r.total,
    serverUse: cpu / wall,
    loadUse: r.cpu / wall,
    serverQueued: (q1 - q0) / wall,
    loadQueued: (l1 - l0) / wall,
  };
}

// ---------------------------------------------------------------------------
// Formatting: Markdown tables, so that the output pastes into bench/README.md.
function table(title, head, rows, notes = []) {
  const out = [`\n### ${title}\n`, `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  for (const n of notes) out.push(`\n${n}`);
  console.log(out.join('\n'));
}
const k = (x) => (Number.isFinite(x) ? (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`) : '—');
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : '—');
const us = (x) => (Number.isFinite(x) ? `${(x * 1e6).toFixed(2)} µs` : '—');
const pct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');
const num = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const bytes = (x) => (!Number.isFinite(x) ? '—' : Math.abs(x) >= 10 * 2 ** 20 ? `${(x / 2 ** 20).toFixed(1)} MiB`
  : Math.abs(x) >= 10240 ? `${(x / 1024).toFixed(1)} KiB` : `${Math.round(x)} B`);
/** CPU use, with the time spent waiting for a core after it: "59% +12%". */
const use = (x, q) => (Number.isFinite(x) ? `${Math.round(x * 100)}%${Number.isFinite(q) ? ` +${Math.round(q * 100)}%` : ''}` : '—');
const x2 = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '—');
const name = (e) => (e.ours ? `${e.runtime}: ours (${e.file})` : `${e.runtime}: ${e.label}`);

function versions() {
  const first = (cmd, args) => { const r = spawnSync(cmd, args, { encoding: 'utf8' }); return r.status === 0 ? r.stdout.split('\n')[0].trim() : 'absent'; };
  const pkg = (n) => { try { return JSON.parse(readFileSync(`${ROOT}node_modules/${n}/package.json`, 'utf8')).version; } catch { return 'absent'; } };
  const cpu = /^model name\s*:\s*(.*)$/m.exec(read('/proc/cpuinfo') ?? '')?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores; node ${process.versions.node}, ${first(BIN('deno'), ['--version'])}, bun ${first(BIN('bun'), ['--version'])}; ws ${pkg('ws')}, bufferutil ${pkg('bufferutil')}`;
}

// ---------------------------------------------------------------------------
const t0 = performance.now();
const { serverCore, note: pinNote } = pin();
const machine = versions();
console.log(`# Servers end to end${quick ? ' (--quick)' : ''}\n\n${machine}\n${pinNote}.`);
if (serverCore === null) console.log('\nNOTE: running unpinned; the load generator competes with the server for the same cores.');

const results = {}; // workload -> id -> { rounds: [...], checked }
const rates = {}; // `${workload}/${id}` -> median messages/s, for the targets
const cpus = {}; // `${workload}/${id}` -> median server CPU seconds per message
const perRound = {}; // `${workload}/${id}` -> messages/s of each round (NaN: left out), in round order
const servers = [];
try {
  // The idle and heap workloads use the Node servers only.
  for (const entry of chosen.filter((e) => wanted('small') || wanted('16k') || e.runtime === 'node')) {
    try {
      const srv = await start(entry, serverCore);
      servers.push(srv);
      console.log(`started ${entry.id} (pid ${srv.pid}): ${srv.banner.trim()}`);
    } catch (e) {
      console.log(`✘ ${entry.id} did not start: ${e.message}`);
    }
  }

  // ---- the throughput workloads: small and 16k
  for (const w of Object.values(WORKLOADS)) {
    if (!wanted(w.name)) continue;
    const res = (results[w.name] = {});
    // The check before timing: a short run whose every echo is compared.
    const live = [];
    for (const srv of servers) {
      if (srv.dead) { res[srv.entry.id] = { checked: 'server exited', rounds: [] }; continue; }
      const c = await load(srv.url, { connections: 2, inflight: w.inflight, size: w.size, binary: w.binary, warmup: 0, seconds: 0.3 });
      const ok = c.errors === 0 && c.total > 0;
      res[srv.entry.id] = { checked: ok ? '✔' : `✘ ${JSON.stringify(c.problems)}`, rounds: [] };
      if (ok) live.push(srv);
    }
    for (let r = 0; r < ROUNDS; r++) {
      // The order rotates every round, so that drift spreads over every server.
      for (let i = 0; i < live.length; i++) {
        const srv = live[(i + r) % live.length];
        if (srv.dead) continue;
        res[srv.entry.id].rounds.push(await round(srv, w, { warmup: WARMUP, seconds: SECONDS }));
      }
    }
    printWorkload(w, res);
  }

  // ---- idle: Node servers, 16 KiB, before and after IDLE seconds with no connection
  if (wanted('idle')) {
    const w = WORKLOADS['16k'];
    const res = (results.idle = {});
    const nodes = servers.filter((s) => s.entry.runtime === 'node' && !s.dead);
    for (const srv of nodes) res[srv.entry.id] = [];
    for (let c = 0; c < IDLE_CYCLES; c++) {
      const endA = new Map();
      for (const srv of nodes) {
        // A warming run (not counted), then the round before idleness.
        await load(srv.url, { connections: w.connections, inflight: w.inflight, size: w.size, binary: w.binary, warmup: 0, seconds: quick ? 0.3 : 1 });
        res[srv.entry.id].push({ before: await round(srv, w, { warmup: 0, seconds: SECONDS }) });
        endA.set(srv, performance.now());
      }
      // Each server's second round starts IDLE s after its first ended (later if
      // the previous server's round is still running: the idle time is printed).
      for (const srv of nodes) {
        const wait = endA.get(srv) + IDLE * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
        const o = res[srv.entry.id][c];
        o.idle = (performance.now() - endA.get(srv)) / 1000;
        o.rssIdle = rss(srv.pid);
        o.after = await round(srv, w, { warmup: 0, seconds: SECONDS });
      }
    }
    printIdle(res);
  }

  // ---- heap: Node servers, JS heap per idle open connection
  if (wanted('heap')) {
    const res = (results.heap = {});
    const limit = fileLimit();
    // Each connection is one descriptor here (and one in the server, whose limit is printed too).
    let n = HEAP_CONNECTIONS;
    const limitNote = `open-file limit ${limit} here (need ≥ ${2 * HEAP_CONNECTIONS + 100} for both ends of ${HEAP_CONNECTIONS} connections on one machine)`;
    if (!(limit >= n + 100)) n = Math.max(0, Math.floor(limit) - 100);
    for (const srv of servers.filter((s) => s.entry.runtime === 'node' && !s.dead)) {
      // A warm-up cycle first (the connections opened, then closed), so that what a server
      // compiles and caches once is not counted per connection; then HEAP_CYCLES measured
      // cycles, the median of each figure. One cycle alone moved by ±50 B a connection.
      const warm = await openIdle(srv.url, n);
      await warm.close();
      await sleep(300);
      const cycles = [];
      for (let k = 0; k < HEAP_CYCLES; k++) {
        const h0 = await heapOf(srv);
        const r0 = rss(srv.pid);
        const conns = await openIdle(srv.url, n);
        await sleep(500);
        const h1 = await heapOf(srv);
        const r1 = rss(srv.pid);
        const errors = conns.errors;
        await conns.close();
        await sleep(300);
        // What the closed connections left behind (a leak would show here, not in the growth).
        const h2 = await heapOf(srv);
        const per = (a, b) => (a && b ? (b - a) / conns.opened : NaN);
        cycles.push({
          left: h0 && h2 ? per(h0.heapUsed, h2.heapUsed) : NaN,
          opened: conns.opened, errors, serverLimit: fileLimit(srv.pid),
          heap: h0 && h1 ? per(h0.heapUsed, h1.heapUsed) : NaN,
          external: h0 && h1 ? per(h0.external, h1.external) : NaN,
          rss: h0 && h1 ? per(h0.rss, h1.rss) : (r1 - r0) / conns.opened,
          reported: Boolean(h0 && h1),
        });
      }
      const mid = (key) => cycles.map((c) => c[key]).sort((a, b) => a - b)[cycles.length >> 1];
      res[srv.entry.id] = {
        opened: Math.min(...cycles.map((c) => c.opened)), errors: cycles.reduce((a, c) => a + c.errors, 0), serverLimit: cycles[0].serverLimit,
        heap: mid('heap'), external: mid('external'), rss: mid('rss'), left: mid('left'), reported: cycles.every((c) => c.reported),
        heaps: cycles.map((c) => c.heap),
      };
    }
    printHeap(res, n, limitNote);
  }

  printTargets();
} finally {
  for (const srv of servers) {
    if (srv.dead) continue;
    const gone = new Promise((r) => srv.child.once('exit', r));
    srv.child.kill('SIGKILL');
    await gone;
  }
}
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s; every server stopped.`);

// ---------------------------------------------------------------------------
function summary(o) {
  const ok = o.rounds.filter((r) => r.ok);
  const pick = (f) => median(ok.map(f));
  return {
    rate: pick((r) => r.rate), min: Math.min(...ok.map((r) => r.rate)), max: Math.max(...ok.map((r) => r.rate)),
    p50: pick((r) => r.p50), p99: pick((r) => r.p99), cpuPerMsg: pick((r) => r.cpuPerMsg),
    serverUse: pick((r) => r.serverUse), loadUse: pick((r) => r.loadUse), faultsPerMsg: pick((r) => r.faultsPerMsg),
    serverQueued: pick((r) => r.serverQueued), loadQueued: pick((r) => r.loadQueued),
    valid: ok.length, total: o.rounds.length,
    problems: o.rounds.filter((r) => !r.ok).map((r) => JSON.stringify(r.problems)),
  };
}

function printWorkload(w, res) {
  const rows = [];
  const sum = {};
  for (const srv of servers) if (res[srv.entry.id]?.rounds.length) sum[srv.entry.id] = summary(res[srv.entry.id]);
  for (const [id, s] of Object.entries(sum)) {
    rates[`${w.name}/${id}`] = s.rate;
    cpus[`${w.name}/${id}`] = s.cpuPerMsg;
    perRound[`${w.name}/${id}`] = res[id].rounds.map((r) => (r.ok ? r.rate : NaN));
  }
  const notes = [];
  for (const srv of servers) {
    const e = srv.entry, o = res[e.id];
    if (!o) continue;
    const s = sum[e.id];
    if (!s) { rows.push([name(e), o.checked, '—', '—', '—', '—', '—', '—', '—', '—', '0/0']); continue; }
    const ours = SERVERS.find((x) => x.runtime === e.runtime && x.ours);
    const vs = !e.ours && ours && sum[ours.id] ? x2(sum[ours.id].rate / s.rate) : '—';
    const vsCpu = !e.ours && ours && sum[ours.id] ? x2(s.cpuPerMsg / sum[ours.id].cpuPerMsg) : '—';
    rows.push([name(e), o.checked, `${k(s.rate)} [${k(s.min)}–${k(s.max)}]`, ms(s.p50), ms(s.p99), us(s.cpuPerMsg),
      use(s.serverUse, s.serverQueued), use(s.loadUse, s.loadQueued), vs, vsCpu, `${s.valid}/${s.total}`]);
    if (s.problems.length) notes.push(`${e.id}: rounds left out for wrong or missing echoes: ${s.problems.join(', ')}.`);
  }
  table(`${w.name}: ${w.title}, ${ROUNDS} rounds of ${WARMUP} s warm-up + ${SECONDS} s`,
    ['server', 'checked', 'messages/s (median [min–max])', 'p50', 'p99', 'server CPU per message', 'server CPU use +waiting', 'load CPU use +waiting', 'ours ÷ this', 'ours ÷ this by CPU', 'valid rounds'], rows,
    [...notes, `Medians over the valid rounds. "ours ÷ this": messages/s of our server on the same runtime over this one's; "by CPU": this server's CPU per message over ours (above 1x: ours spends less CPU on a message). Server CPU per message: the server's CPU time over the whole round (/proc/PID/stat utime+stime, all threads, ${1000 / HZ} ms ticks) over every echo in it. CPU use: CPU seconds per wall second of the round, the server's and this load generator's (near 100%: that side set the pace); +waiting: the time its main thread waited for a core (/proc/PID/schedstat), taken by other processes.`]);
}

function printIdle(res) {
  const rows = [];
  const notesBad = [];
  for (const srv of servers) {
    const cycles = res[srv.entry.id];
    if (!cycles) continue;
    // Medians over the cycles whose rounds were both valid.
    const good = cycles.filter((c) => c.before.ok && c.after.ok);
    for (const c of cycles) if (!(c.before.ok && c.after.ok)) notesBad.push(`${srv.entry.id}: a cycle left out for wrong or missing echoes (${JSON.stringify(c.before.problems)}, ${JSON.stringify(c.after.problems)})`);
    const m = (f) => median(good.map(f));
    const rateA = m((c) => c.before.rate), rateB = m((c) => c.after.rate);
    const last = cycles[cycles.length - 1];
    const idles = cycles.map((c) => c.idle);
    rows.push([name(srv.entry), k(rateA), ms(m((c) => c.before.p99)), num(m((c) => c.before.faultsPerMsg), 2),
      `${num(Math.min(...idles), 1)}–${num(Math.max(...idles), 1)} s`, `${bytes(last.before.rssAfter)} → ${bytes(last.rssIdle)}`,
      k(rateB), ms(m((c) => c.after.p99)), num(m((c) => c.after.faultsPerMsg), 2), x2(rateB / rateA), `${good.length}/${cycles.length}`]);
    if (good.length) {
      rates[`idle/${srv.entry.id}`] = rateB;
      cpus[`idle/${srv.entry.id}`] = m((c) => c.after.cpuPerMsg);
      perRound[`idle/${srv.entry.id}`] = cycles.map((c) => (c.before.ok && c.after.ok ? c.after.rate : NaN));
    }
  }
  const ours = rates['idle/node-ours'];
  const notes = [];
  for (const srv of servers) {
    if (srv.entry.ours || !rates[`idle/${srv.entry.id}`]) continue;
    notes.push(`${srv.entry.label} ${x2(ours / rates[`idle/${srv.entry.id}`])}`);
  }
  table(`idle: 16 KiB binary, ${IDLE_CYCLES} cycle${IDLE_CYCLES > 1 ? 's' : ''} of a round of ${SECONDS} s, ${IDLE} s idle with every connection closed, a round of ${SECONDS} s (Node servers)`,
    ['server', 'before: messages/s', 'before: p99', 'before: minor faults per message', 'idle', 'RSS: end of round → end of idle (last cycle)', 'after: messages/s', 'after: p99', 'after: minor faults per message', 'after ÷ before', 'valid cycles'], rows,
    [...notesBad, `After idle, ours ÷ ${notes.join(', ') || '—'}. Medians over the cycles. No warm-up is left out of these rounds (the first is preceded by an uncounted ${quick ? 0.3 : 1} s run): the second shows what the server pays to get going again. Minor faults: /proc/PID/stat minflt over the round, over every echo in it.`]);
}

function printHeap(res, n, limitNote) {
  const rows = [];
  for (const srv of servers) {
    const o = res[srv.entry.id];
    if (!o) continue;
    rows.push([name(srv.entry), `${o.opened}${o.errors ? ` (${o.errors} failed)` : ''}`, o.reported ? bytes(o.heap) : 'no report', o.reported ? o.heaps.map(bytes).join(', ') : '—', o.reported ? bytes(o.left) : '—', o.reported ? bytes(o.external) : '—', bytes(o.rss), String(o.serverLimit)]);
  }
  table(`heap: ${n} idle open connections (handshake done) per Node server`,
    ['server', 'connections', 'JS heap per connection (median)', 'each cycle', 'left once closed', 'external per connection', 'RSS per connection', "server's open-file limit"], rows,
    [`Growth over the baseline, divided by the connections, each measured after a full GC: the servers run under \`node --expose-gc --import bench/servers/_heap-hook.mjs\`, which prints process.memoryUsage() on SIGUSR2 (heap = heapUsed; external = external, ArrayBuffers included; RSS from the same call). One warm-up cycle (${n} connections opened and closed, not counted), then ${HEAP_CYCLES} measured cycle${HEAP_CYCLES > 1 ? 's' : ''}: medians. "Left once closed": the heap after every connection of the cycle closed, over the one before it opened (near 0: nothing leaks). ${limitNote}.`]);
}

function printTargets() {
  const rows = [];
  let met = 0, checked = 0;
  for (const t of TARGETS) {
    if (!wanted(t.workload)) continue;
    const a = rates[`${t.workload}/${t.ours}`], b = rates[`${t.workload}/${t.rival}`];
    const o = SERVERS.find((s) => s.id === t.ours), r = SERVERS.find((s) => s.id === t.rival);
    const what = `${o.runtime} ours ${t.workload === 'idle' ? '16k after idle' : t.workload} ≥ ${t.min}x ${r.label}`;
    if (!Number.isFinite(a) || !Number.isFinite(b)) { rows.push([what, '—', '—', '—', 'not run']); continue; }
    const x = a / b;
    checked++;
    if (x >= t.min) met++;
    // The same round's two figures, measured seconds apart (servers of one runtime are neighbours in the rotation).
    const ra = perRound[`${t.workload}/${t.ours}`] ?? [], rb = perRound[`${t.workload}/${t.rival}`] ?? [];
    const each = ra.map((v, i) => v / rb[i]).filter(Number.isFinite);
    const spread = each.length > 1 ? `${x2(Math.min(...each))}–${x2(Math.max(...each))}` : '—';
    rows.push([what, x2(x), spread, x2(cpus[`${t.workload}/${t.rival}`] / cpus[`${t.workload}/${t.ours}`]), x >= t.min ? 'PASS' : 'MISS']);
  }
  // Issue 14: the Node server's idle JS heap per open connection at most 2 KiB.
  const h = results.heap?.['node-ours'];
  if (h?.reported) {
    checked++;
    if (h.heap <= 2048) met++;
    const ws = results.heap['node-ws'];
    rows.push(['node ours idle JS heap per open connection ≤ 2 KiB (2,048 B)', bytes(h.heap), h.heaps.map(bytes).join(', '), ws?.reported ? `ws: ${bytes(ws.heap)}` : '—', h.heap <= 2048 ? 'PASS' : 'MISS']);
  } else if (wanted('heap')) rows.push(['node ours idle JS heap per open connection ≤ 2 KiB (2,048 B)', '—', '—', '—', 'not run']);
  table('Targets (issue 14): messages/s of ours over the rival\'s, medians', ['target', 'ratio of medians', 'round by round (min–max)', 'by CPU per message (not the target)', 'verdict'], rows,
    [`${met} of ${checked} met. The verdict is on the ratio of medians; "round by round" is ours over the rival in the same round; "by CPU per message" is the rival's server CPU per message over ours. Machine: ${machine}; ${pinNote}.`]);
}
