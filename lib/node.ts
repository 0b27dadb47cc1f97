// Imports no runtime module. The Node entry point (`websocket-server/node`):
// WebSocket servers and clients over node:net and node:tls sockets (any
// Duplex with their methods). Re-exports only. WebSocketLike is a value
// export: the class (instanceof works), and build.mjs requires an entry's
// declared classes to be in its bundle.
export * from './adapters/node.ts';
export { WebSocketLike } from './adapters/websocket.ts';
export type { TimerOptions, ServerAdapterOptions, BinaryType } from './adapters/websocket.ts';
