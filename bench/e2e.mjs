// Topic 6: end to end: examples/core/echo-server.mjs against bench/servers/ws-echo.mjs
// (ws's WebSocketServer), both under bench/load.mjs, in alternating rounds so
// that machine noise hits both alike. Reports messages/s, p50/p99 latency and
// messages per second of the server's own CPU time (read from /proc).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { check, print, quick, runtime } from './_harness.mjs';
import { load } from './load.mjs';

const ROOT = new URL('../', import.meta.url);
const SERVERS = [
  ['ours', 'examples/core/echo-server.mjs', ['--heartbeat', '0']],
  ['ws', 'bench/servers/ws-echo.mjs', ['--bufferutil', 'on']],
];
const CONNECTIONS = 16, INFLIGHT = 8;

/** Starts a server with --port 0 and resolves { child, url } from its ws:// line (10 s at most). */
function start(file, extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, '--port', '0', ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${file} printed no ws:// line in 10 s`)); }, 10000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/ws:\/\/[^\s)]+/);
      if (m) { clearTimeout(timer); resolve({ child, url: m[0] }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${file} exited with ${code}`)); });
  });
}

/** A process's CPU time in seconds (utime + stime from /proc/PID/stat), or NaN off Linux. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // fields 14 and 15, in USER_HZ (100 on Linux)
  } catch { return NaN; }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b), h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

export async function run() {
  if (runtime.name !== 'node') {
    print('6. End to end', ['note'], [['run under Node only: both echo servers are Node programs']]);
    return;
  }
  // Waits up to 30 s for the example server's file; it is in the repository, so the loop ends at once.
  for (let i = 0; i < 30 && !existsSync(new URL(SERVERS[0][1], ROOT)); i++) await new Promise((r) => setTimeout(r, 1000));
  const rounds = quick ? 2 : 5, seconds = quick ? 2 : 4;
  const children = [];
  const kill = () => { for (const c of children) c.kill('SIGKILL'); };
  process.once('exit', kill);
  const res = Object.fromEntries(SERVERS.map(([n]) => [n, { rate: [], p50: [], p99: [], perCpu: [], errors: 0 }]));
  try {
    const live = [];
    for (const [name, file, extra] of SERVERS) {
      const s = await start(file, extra);
      children.push(s.child);
      live.push([name, s]);
    }
    for (let r = 0; r < rounds; r++) {
      for (const [name, s] of r % 2 ? [...live].reverse() : live) {
        const c0 = cpuSeconds(s.child.pid);
        const t = await load(s.url, { connections: CONNECTIONS, inflight: INFLIGHT, seconds, warmup: 0.5 });
        const c1 = cpuSeconds(s.child.pid);
        const o = res[name];
        o.rate.push(t.rate); o.p50.push(t.p50); o.p99.push(t.p99); o.errors += t.errors;
        // Whole-run CPU (warm-up included) against whole-run messages: rate * (seconds + warmup) approximates them.
        o.perCpu.push((t.rate * (seconds + 0.5)) / (c1 - c0));
      }
    }
  } finally {
    kill();
    process.removeListener('exit', kill);
  }
  const m = Object.fromEntries(Object.entries(res).map(([n, o]) => [n, { rate: median(o.rate), p50: median(o.p50), p99: median(o.p99), perCpu: median(o.perCpu), min: Math.min(...o.rate), max: Math.max(...o.rate), errors: o.errors }]));
  const rows = Object.entries(m).map(([n, x]) => [n === 'ours' ? 'examples/core/echo-server.mjs' : 'bench/servers/ws-echo.mjs (ws + bufferutil)',
    `${(x.rate / 1e3).toFixed(1)} k [${(x.min / 1e3).toFixed(1)}–${(x.max / 1e3).toFixed(1)} k]`, `${x.p50.toFixed(2)} ms`, `${x.p99.toFixed(2)} ms`,
    Number.isFinite(x.perCpu) ? `${(x.perCpu / 1e3).toFixed(1)} k` : '—', String(x.errors)]);
  const ratio = m.ours.rate / m.ws.rate;
  const verdicts = [
    check('e2e', '≥1.5x ws messages/s', `${ratio.toFixed(2)}x`, ratio >= 1.5),
    check('e2e', 'p99 ≤ ws p99', `${m.ours.p99.toFixed(2)} vs ${m.ws.p99.toFixed(2)} ms`, m.ours.p99 <= m.ws.p99),
  ];
  print(`6. End to end: echo of 17-byte text messages, ${CONNECTIONS} connections x ${INFLIGHT} in flight, ${rounds} rounds of ${seconds} s each`,
    ['server', 'messages/s (median [min–max])', 'p50', 'p99', 'messages per server CPU-second', 'errors'], rows,
    [`ours/ws: ${ratio.toFixed(2)}x messages/s, ${(m.ours.perCpu / m.ws.perCpu).toFixed(2)}x messages per server CPU-second. ${verdicts.join('; ')}. The load generator (bench/load.mjs) runs in this process and shares the machine's cores with the server.`]);
}
