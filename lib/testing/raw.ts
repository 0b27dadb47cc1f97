// Browser compatible. PLACEHOLDER (branch base16): replaced by the inspector work.
/** Placeholder. */
export function encodeRawFrame(_spec: object): Uint8Array { throw new Error('Not implemented'); }
