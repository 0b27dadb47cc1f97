// Starts the example echo server as a child process on 127.0.0.1, port 0, and
// reads its ws://HOST:PORT line. Every server started is killed when the
// caller stops it, and at the latest when this process exits (also on failure).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_SERVER = resolve(ROOT, 'examples/core/echo-server.mjs');
const live = new Set();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });

/** { port, pid, rss(), exited, stop() } for `node SCRIPT --port 0 --host 127.0.0.1 ...flags`. */
export function startServer(flags = [], script = DEFAULT_SERVER) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [script, '--port', '0', '--host', '127.0.0.1', ...flags], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`Server did not print its ws:// line in 10 s: ${out}${err}`)); }, 10000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        ok({
          port: Number(m[1]),
          pid: child.pid,
          rss: () => rss(child.pid),
          stderr: () => err,
          stop: () => { child.kill('SIGKILL'); live.delete(child); },
        });
      }
    });
    child.on('exit', () => live.delete(child));
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
  });
}

/** Resident set size of a process in bytes, from /proc/PID/status (VmRSS, in kB). */
export function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}
