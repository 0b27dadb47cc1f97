// Browser compatible. PLACEHOLDER (branch base15): replaced by the inflate work.

/** Options of `inflateRaw` and `Inflater`. */
export interface InflateOptions {
  /** The window size the stream was compressed with, 8-15 (default 15). */
  windowBits?: number;
  /** The most output bytes (per message, for `Inflater`) before a `RangeError`. */
  maxOutputLength?: number;
}

/** Placeholder. */
export function inflateRaw(_data: Uint8Array, _options?: InflateOptions): Uint8Array {
  throw new Error('Not implemented');
}

/** Placeholder. */
export class Inflater {
  constructor(_options?: InflateOptions) {}
  write(_chunk: Uint8Array): Uint8Array { throw new Error('Not implemented'); }
  endMessage(): Uint8Array { throw new Error('Not implemented'); }
  reset(): void {}
}
