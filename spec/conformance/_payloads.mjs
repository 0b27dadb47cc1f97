// Payloads for the compression cases of both conformance suites (sections 12
// and 13, server and client): five kinds of content generated
// deterministically (no data files), each message a different slice, and the
// parameter combinations of RFC 7692 §7.1. Messages per case: 1000 with
// --full (as Autobahn: `node spec/conformance/run.mjs --server S --full`);
// by default 100, fewer for large sizes (about 256 KiB a case, at least 4
// messages), so that `npm test` runs every case on three runtimes in minutes.
export const KiB = 1024;
export const FULL = process.argv.includes('--full');
export const count = (size) => (FULL ? 1000 : Math.max(4, Math.min(100, Math.floor((256 * KiB) / size))));
export const SIZES = [16, 64, 256, KiB, 4 * KiB, 8 * KiB, 16 * KiB, 32 * KiB, 64 * KiB, 128 * KiB];

/** A deterministic generator (xorshift32). */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}
const WORDS = 'the of and to in is that it was for on are as with his they at be this from have or by one had not but what all were when we there can an your which their said if do will each about how up out them then she many some so these would other into has more her two like him see time could no make than first been its who now people my made over did down only way find use may water long little very after words called just where most know get through back much before go good new write our used me man too any day same right look think also around another came come work three word must because does part even place well such here take why things help put years different away again off went old number great tell men say small every found still between name should home big give air line set own under read last never us left end along while might next sound below saw something thought both few those always looked show large often together asked house world going want school important until form food keep children feet land side without boy once animals life enough took sometimes four head above kind began almost live page got earth need far hand high year mother light parts country father let night following picture being study second eyes soon times story boys since white days ever paper hard near sentence better best across during today others however sure means knew its try told young miles sun ways thing whole hear example heard several change answer room sea against top turned learn point city play toward five using himself usually Grüße Straße über schön Größe naïve café 😀 ✓'.split(' ');

/** 256 KiB of one kind of payload, from which each message takes a different slice. */
function corpus(kind) {
  const r = rng(kind.length * 7919);
  const word = () => WORDS[r() % WORDS.length];
  const out = [];
  let n = 0;
  const push = (s) => { const b = Buffer.from(s); out.push(b); n += b.length; };
  if (kind === 'json') while (n < 256 * KiB) push(JSON.stringify({ id: r() % 100000, user: `${word()}_${r() % 100}`, text: Array.from({ length: 3 + (r() % 12) }, word).join(' '), tags: [word(), word()], at: 1.7e12 + (r() % 1e9), ok: r() % 2 === 0 }) + '\n');
  if (kind === 'text') while (n < 256 * KiB) push(Array.from({ length: 5 + (r() % 20) }, word).join(' ') + (r() % 4 === 0 ? '.\n\n' : '. '));
  if (kind === 'html') while (n < 256 * KiB) push(`<div class="${word()}" id="n${r() % 1000}"><a href="/${word()}/${r() % 100}.html">${word()} ${word()}</a><p>${Array.from({ length: 4 + (r() % 10) }, word).join(' ')}</p></div>\n`);
  if (kind === 'image') {
    // A 512-pixel-wide greyscale bitmap: smooth gradients with a little noise.
    const b = Buffer.alloc(256 * KiB);
    for (let i = 0; i < b.length; i++) b[i] = (((i % 512) >> 2) + ((i >> 9) >> 1) + (r() % 7)) & 0xff;
    return b;
  }
  if (kind === 'random') {
    const b = Buffer.alloc(256 * KiB);
    for (let i = 0; i < b.length; i++) b[i] = r() & 0xff;
    return b;
  }
  // Cut at a character boundary (never inside a UTF-8 sequence) by the slicer below.
  return Buffer.concat(out);
}

/** The kinds of payload, with what a case title calls them. */
export const KINDS = [['json', 'JSON'], ['text', 'human-readable text'], ['html', 'HTML'], ['image', 'a greyscale bitmap'], ['random', 'random bytes']];
const CORPUS = Object.fromEntries(KINDS.map(([k]) => [k, corpus(k)]));
/** Whether a kind is sent as text messages. */
export const isText = (kind) => kind === 'json' || kind === 'text' || kind === 'html';

/** Message `i` of a case: about `size` bytes of `kind` from an offset that moves per message (whole UTF-8 characters for text). */
export function slice(kind, size, i) {
  const data = CORPUS[kind];
  let at = (i * 7919) % (data.length - size);
  if (isText(kind)) {
    while (at > 0 && (data[at] & 0xc0) === 0x80) at--;
    let end = at + size;
    while (end > at && end < data.length && (data[end] & 0xc0) === 0x80) end--;
    return Buffer.from(data.subarray(at, end));
  }
  return Buffer.from(data.subarray(at, at + size));
}

/** Every combination of the four parameters (RFC 7692 §7.1), as parameter objects: 80 of them. */
export const COMBOS = [];
for (const snc of [false, true]) for (const cnc of [false, true]) for (const smwb of [undefined, 8, 9, 15]) for (const cmwb of [undefined, true, 8, 12, 15]) {
  const o = {};
  if (snc) o.server_no_context_takeover = true;
  if (cnc) o.client_no_context_takeover = true;
  if (smwb !== undefined) o.server_max_window_bits = String(smwb);
  if (cmwb !== undefined) o.client_max_window_bits = cmwb === true ? true : String(cmwb);
  COMBOS.push(o);
}

/** Parameters as a header's text: `a; b=1`, or 'no parameters'. */
export const label = (o) => (Object.keys(o).length === 0 ? 'no parameters' : Object.entries(o).map(([k, v]) => (v === true ? k : `${k}=${v}`)).join('; '));
