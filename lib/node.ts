// Imports no runtime module. The Node entry point (`websocket-server/node`):
// WebSocket servers and clients over node:net and node:tls sockets (any
// Duplex with their methods). Re-exports only; the WebSocketLike they return
// comes from websocket-server/connection.
export * from './adapters/node.ts';
