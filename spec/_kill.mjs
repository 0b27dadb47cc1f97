// Ending a process with everything it started. A stage's children (deno, bun,
// workerd, an echo server, Chromium and its helpers) may sit in process groups
// of their own (playwright starts Chromium detached) or outlive a parent
// killed with SIGKILL, so neither child.kill() nor a group kill is enough.
// Linux: walk /proc. Elsewhere: the process group, as far as it reaches.
import { readdirSync, readFileSync } from 'node:fs';

const LINUX = process.platform === 'linux';

/** pid -> { ppid, name, environ() } for every process we may read. */
function processes() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(')');
      all.set(+entry, { ppid: +stat.slice(close + 2).split(' ')[1], name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch { /* gone meanwhile */ }
  }
  return all;
}

/** The pids below `pid` (children, their children, ...), deepest last. */
function descendants(pid, all = processes()) {
  const out = [];
  for (let i = -1, at = pid; i < out.length; at = out[++i]) {
    for (const [p, { ppid }] of all) if (ppid === at && p !== pid && !out.includes(p)) out.push(p);
  }
  return out;
}

/** Processes whose environment holds exactly `name=value`: found even after their parent died. */
function tagged(name, value) {
  const needle = `\0${name}=${value}\0`;
  const out = [];
  for (const pid of processes().keys()) {
    if (pid === process.pid) continue;
    try { if (('\0' + readFileSync(`/proc/${pid}/environ`, 'latin1')).includes(needle)) out.push(pid); } catch { /* not ours, or gone */ }
  }
  return out;
}

const signal = (pid, sig) => { try { process.kill(pid, sig); return true; } catch { return false; } };

/**
 * Stops, then kills, `pid` and every process below it; with `tag`
 * ([name, value]), also every process that carries it in its environment.
 * Frozen first (SIGSTOP) so that none can start another while the others die.
 * @returns {string[]} "name (pid)" of each process killed
 */
export function killTree(pid, tag) {
  if (!LINUX) {
    signal(-pid, 'SIGKILL');
    signal(pid, 'SIGKILL');
    return [];
  }
  const names = processes();
  const found = new Set();
  for (let more = true; more;) {
    more = false;
    const all = processes();
    for (const p of [...(pid ? [pid, ...descendants(pid, all)] : []), ...(tag ? tagged(...tag) : [])]) {
      if (found.has(p) || !all.has(p)) continue;
      found.add(p);
      names.set(p, all.get(p));
      signal(p, 'SIGSTOP');
      more = true;
    }
  }
  const killed = [];
  for (const p of found) if (signal(p, 'SIGKILL')) killed.push(`${names.get(p)?.name ?? '?'} (${p})`);
  return killed;
}
