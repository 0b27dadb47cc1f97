// Browser compatible. PLACEHOLDER (branch base16): replaced by the inspector work.
/** Placeholder. */
export function inspectFrame(_bytes: Uint8Array, _offset?: number, _options?: object): object { throw new Error('Not implemented'); }
/** Placeholder. */
export function inspectFrames(_bytes: Uint8Array, _options?: object): object[] { throw new Error('Not implemented'); }
