// Browser compatible. Masking keys for client frames (RFC 6455 §5.3).

/**
 * RFC 6455 §5.3: a fresh, unpredictable key per frame from the platform's
 * CSPRNG. Drawn 4 KiB at a time (as ws does): one getRandomValues call per
 * frame was most of a small masked frame's cost. One 4-byte scratch array
 * serves: the encoders ask for it only after reading the frame's options
 * (frame/encode.ts `keyOf`), use it at once to write and mask that frame, and
 * never hand it out, so no caller code can see it or run while it holds a key.
 */
const POOL = /* @__PURE__ */ new Uint8Array(4096);
const KEY = /* @__PURE__ */ new Uint8Array(4);
let poolAt = POOL.length;
export function randomKey(): Uint8Array {
  if (poolAt === POOL.length) { globalThis.crypto.getRandomValues(POOL); poolAt = 0; }
  KEY[0] = POOL[poolAt]; KEY[1] = POOL[poolAt + 1]; KEY[2] = POOL[poolAt + 2]; KEY[3] = POOL[poolAt + 3];
  poolAt += 4;
  return KEY;
}
