// The benchmark harness: every variant of a case is verified against a
// reference before it is timed, then all variants are timed in interleaved
// rounds in this one process (so machine noise hits them alike), and each
// row reports the median with the min-max spread, the ratios against the
// competitors, and PASS/MISS against the issue's target.
// Runs unchanged on Node, Deno and Bun.

export const quick = argv().includes('--quick');
const only = (() => { const i = argv().indexOf('--only'); return i >= 0 ? (argv()[i + 1] ?? '').split(',') : null; })();

/** Sample length and rounds: --quick keeps the whole suite under a minute. */
export const SAMPLE_MS = quick ? 12 : 60;
export const ROUNDS = quick ? 5 : 11;
/** Minimum warm-up per variant, in wall time. */
export const WARM_MS = quick ? 30 : 100;

export function argv() {
  return globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
}

export function wanted(topic) {
  return only === null || only.includes(topic);
}

/** Which runtime runs us: 'node', 'deno' or 'bun', with its version. */
export const runtime = globalThis.Deno ? { name: 'deno', version: globalThis.Deno.version.deno, v8: globalThis.Deno.version.v8 }
  : globalThis.Bun ? { name: 'bun', version: globalThis.Bun.version }
  : { name: 'node', version: globalThis.process.versions.node.replace(/^/, ''), v8: globalThis.process.versions.v8 };

/** A full GC where the runtime offers one (node/deno need --expose-gc). */
export const gc = typeof globalThis.gc === 'function' ? () => globalThis.gc()
  : globalThis.Bun ? () => globalThis.Bun.gc(true) : null;

export const now = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/**
 * The clock samples are timed with: this process's CPU time (user + system,
 * all threads, so GC work counts) where the runtime reports it. On a shared
 * machine, wall time also counts the slices other processes ran in.
 */
export const clock = (() => {
  const p = globalThis.process;
  try {
    if (p && typeof p.cpuUsage === 'function' && p.cpuUsage().user >= 0) {
      return { name: 'CPU time', ms: () => { const u = p.cpuUsage(); return (u.user + u.system) / 1000; } };
    }
  } catch { /* fall through to wall time */ }
  return { name: 'wall time', ms: now };
})();

/** Machine and versions, printed with every table. */
export async function machine() {
  const fs = await import('node:fs');
  const os = await import('node:os');
  let cpu = 'unknown CPU';
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
    if (m) cpu = m[1].trim();
  } catch { cpu = os.cpus()[0]?.model ?? cpu; }
  const versions = {};
  for (const name of ['ws', 'bufferutil', '@noble/hashes']) {
    try {
      versions[name] = JSON.parse(fs.readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
    } catch { versions[name] = 'absent'; }
  }
  const rt = `${runtime.name} ${runtime.version}${runtime.v8 ? ` (V8 ${runtime.v8})` : ''}`;
  const deps = Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${cpu}, ${os.cpus().length} cores; ${rt}; ${deps}; timed by ${clock.name}`;
}

/**
 * A timing loop of its own for one variant. A loop shared by every variant
 * sees many functions at its call site, so the JIT inlines none of them, and
 * whichever variant it last tuned for gains: a loop compiled per variant
 * calls one function only, the same treatment for ours and theirs. Each
 * loop's source is unique: V8 and JavaScriptCore cache `new Function` code by
 * its source text, and identical bodies shared one call site's profile again
 * (both sides ran slower so: ws's mask loop up to 2.5x in Bun, 18-34% in V8).
 */
let loops = 0;
function looper() {
  // eslint-disable-next-line no-new-func
  return new Function('fn', 'iters', `// timing loop ${++loops}\nfor (let i = 0; i < iters; i++) fn();`);
}

/** Runs `fn` `iters` times through its own loop; returns operations per millisecond. */
function sample(v, iters) {
  const t0 = clock.ms();
  v.loop(v.fn, iters);
  return iters / Math.max(clock.ms() - t0, 1e-3);
}

/** Finds an iteration count that fills SAMPLE_MS (and warms the JIT up on the way). */
function calibrate(v) {
  let iters = 1;
  for (;;) {
    const t0 = clock.ms();
    v.loop(v.fn, iters);
    const dt = clock.ms() - t0;
    if (dt >= SAMPLE_MS / 4 || iters > 1e9) return Math.max(1, Math.round(iters * SAMPLE_MS / Math.max(dt, 1e-3)));
    iters *= dt < 0.5 ? 8 : 2;
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b), h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

/**
 * Times the variants of one case side by side.
 * variants: [{ name, fn, ok }] where `ok()` runs the variant once on fresh
 * input and says whether its output matches the reference; a variant that
 * fails is reported ✘ and not timed.
 * Returns { name -> { ok, median, min, max } } in operations per second.
 */
export function timeCase(variants, { warmMs = WARM_MS } = {}) {
  const res = {};
  const live = [];
  for (const v of variants) {
    let ok = false;
    try { ok = v.ok() === true; } catch (e) { ok = false; v.error = e; }
    res[v.name] = { ok, median: NaN, min: NaN, max: NaN, samples: [] };
    if (ok) live.push(v);
  }
  for (const v of live) v.loop = looper();
  const iters = new Map(live.map((v) => [v, calibrate(v)]));
  // Warm-up: the optimizing compiler runs on a background thread and may
  // need tens of milliseconds (more on a loaded machine) for a big function.
  for (const v of live) {
    const t0 = now();
    do sample(v, iters.get(v)); while (now() - t0 < warmMs);
    iters.set(v, calibrate(v));
  }
  for (let r = 0; r < ROUNDS; r++) {
    // Rotating the order each round spreads any drift over every variant.
    for (let i = 0; i < live.length; i++) {
      const v = live[(i + r) % live.length];
      res[v.name].samples.push(sample(v, iters.get(v)) * 1000);
    }
  }
  for (const v of live) {
    const s = res[v.name].samples;
    Object.assign(res[v.name], { median: median(s), min: Math.min(...s), max: Math.max(...s) });
  }
  return res;
}

/** Formats a rate: `perOp` converts ops/s into the table's unit. */
export function fmt(x, unit) {
  if (!Number.isFinite(x)) return '—';
  if (unit === 'GB/s') return x >= 10 ? x.toFixed(1) : x.toFixed(2);
  if (x >= 1e6) return (x / 1e6).toFixed(2) + ' M';
  if (x >= 1e3) return (x / 1e3).toFixed(1) + ' k';
  return x.toFixed(1);
}

const results = [];
/** Every target checked so far: { topic, target, figure, met }. */
export function targets() { return results; }

/**
 * Prints one table. rows: [{ label, res, scale }] where `scale` converts ops/s
 * to the unit (bytes per op / 1e9 for GB/s). columns: variant names. ratios:
 * [{ label, num, den }]. target: { num, den, min, label, applies(row) }.
 */
export function table({ topic, title, unit, columns, rows, ratios = [], checks = [], notes = [] }) {
  const head = ['case', ...columns.map((c) => `${c} (${unit})`), ...ratios.map((r) => r.label), ...(checks.length ? ['target'] : [])];
  const lines = [];
  for (const row of rows) {
    const scale = row.scale ?? 1;
    const cells = [row.label];
    for (const c of columns) {
      const r = row.res[c];
      if (r === undefined) { cells.push('n/a'); continue; }
      if (!r.ok) { cells.push('✘ wrong output'); continue; }
      cells.push(`✔ ${fmt(r.median * scale, unit)} [${fmt(r.min * scale, unit)}–${fmt(r.max * scale, unit)}]`);
    }
    for (const q of ratios) cells.push(ratioText(row.res, q.num, q.den));
    const verdicts = [];
    for (const t of checks) {
      if (t.applies && !t.applies(row)) continue;
      const x = ratio(row.res, t.num, t.den);
      if (!Number.isFinite(x)) continue;
      const met = x >= t.min;
      verdicts.push(`${met ? 'PASS' : 'MISS'} ${t.label}`);
      results.push({ topic, target: `${t.label}: ${row.label}`, figure: `${x.toFixed(2)}x`, met });
    }
    if (checks.length) cells.push(verdicts.join('; ') || '—');
    lines.push(cells);
  }
  print(title, head, lines, notes);
}

export function ratio(res, num, den) {
  const a = res[num], b = res[den];
  if (!a || !b || !a.ok || !b.ok) return NaN;
  return a.median / b.median;
}

function ratioText(res, num, den) {
  const x = ratio(res, num, den);
  return Number.isFinite(x) ? `${x.toFixed(2)}x` : '—';
}

/** Records a target that is not a ratio of two timed variants (memory, latency). */
export function check(topic, target, figure, met) {
  results.push({ topic, target, figure, met });
  return `${met ? 'PASS' : 'MISS'} ${target}`;
}

let machineLine = '';
/** The machine line printed under every table (set once by run.mjs). */
export function setMachine(line) { machineLine = line; }

/** A Markdown table, so that the output pastes into bench/README.md as it is. */
export function print(title, head, lines, notes = []) {
  if (machineLine) notes = [...notes, `Machine: ${machineLine}.`];
  const out = [`\n### ${title}\n`, `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const l of lines) out.push(`| ${l.join(' | ')} |`);
  for (const n of notes) out.push(`\n${n}`);
  console.log(out.join('\n'));
}

/** Byte-wise equality of two Uint8Arrays (or Buffers). */
export function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Deterministic pseudo-random bytes (xorshift32), so every run times the same data. */
export function bytes(n, seed = 1) {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 255; }
  return out;
}
