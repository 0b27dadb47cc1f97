// Browser compatible. The WHATWG streams adapter entry point
// (`websocket-server/web`): a WebSocket over a `{ readable, writable }` pair in
// either role (Deno, workerd, Node's Duplex.toWeb). Re-exports only.
export * from './adapters/web.ts';
export type { WebSocketLike, TimerOptions, ServerAdapterOptions, BinaryType } from './adapters/websocket.ts';
