// Browser compatible (imports no Bun module). The Bun entry point: WebSocket
// servers and clients over Bun.listen and Bun.connect. Re-exports only.
// WebSocketLike is a value export: the class (instanceof works), and build.mjs
// requires an entry's declared classes to be in its bundle.
export * from './adapters/bun.ts';
export { WebSocketLike } from './adapters/websocket.ts';
export type { TimerOptions, ServerAdapterOptions, BinaryType } from './adapters/websocket.ts';
