// Browser compatible. PLACEHOLDER (branch base15): replaced by the deflate work.

/** Options of `deflateRaw` and `Deflater`. */
export interface DeflateOptions {
  /** 0 (stored) to 9 (smallest), default 6 as zlib. */
  level?: number;
  /** The window size, 8-15 (default 15): no back-reference farther than 2^windowBits bytes. */
  windowBits?: number;
}

/** Placeholder. */
export function deflateRaw(_data: Uint8Array, _options?: DeflateOptions): Uint8Array {
  throw new Error('Not implemented');
}

/** Placeholder. */
export class Deflater {
  constructor(_options?: DeflateOptions) {}
  write(_data: Uint8Array): Uint8Array { throw new Error('Not implemented'); }
  flush(): Uint8Array { throw new Error('Not implemented'); }
  reset(): void {}
}
