// Browser compatible. PLACEHOLDER (branch base16): replaced by the pair work.
/** Placeholder. */
export function createWebSocketPair(_options?: object): unknown[] { throw new Error('Not implemented'); }
