// Splitting a byte stream into the chunks a socket might deliver: single
// bytes, random sizes, cuts around frame boundaries. Each chunk is a view at
// a random (often odd) byteOffset into a bigger buffer full of noise, so a
// reader that looks outside its view, or keeps one, gets caught.

/** Cut points (sorted, unique, inside 1..n-1) for a stream of `n` bytes whose frames start at `starts`. */
export function cutPoints(r, n, starts = []) {
  if (n <= 1) return [];
  const how = r.weighted([[10, 'bytes'], [30, 'random'], [25, 'few'], [25, 'frames'], [10, 'tiny']]);
  const list = [];
  if (how === 'bytes' && n <= 4000) { for (let i = 1; i < n; i++) list.push(i); return list; }
  if (how === 'tiny' && n <= 20000) { for (let i = r.range(1, 3); i < n; i += r.range(1, 7)) list.push(i); return list; }
  const set = new Set();
  if (how === 'frames') {
    for (const s of starts) for (const d of [-1, 0, 1, 2, 3, r.range(4, 14)]) if (r.chance(0.4)) set.add(s + d);
  } else {
    const k = how === 'few' ? r.range(1, 4) : r.range(1, Math.min(200, n));
    for (let i = 0; i < k; i++) set.add(r.range(1, n - 1));
  }
  return [...set].filter((p) => p > 0 && p < n).sort((a, b) => a - b);
}

/** A copy of `bytes` as a view at a random offset into a noisy buffer. */
export function placed(r, bytes) {
  const before = r.chance(0.5) ? r.range(1, 7) : r.int(2) * 8;
  const after = r.int(8);
  const buf = new Uint8Array(before + bytes.length + after);
  for (let i = 0; i < before; i++) buf[i] = r.u32();
  for (let i = 0; i < after; i++) buf[before + bytes.length + i] = r.u32();
  buf.set(bytes, before);
  return buf.subarray(before, before + bytes.length);
}

export function split(bytes, points) {
  const out = [];
  let prev = 0;
  for (const p of points) { out.push(bytes.subarray(prev, p)); prev = p; }
  out.push(bytes.subarray(prev));
  return out;
}
