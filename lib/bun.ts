// Browser compatible (imports no Bun module). The Bun entry point: WebSocket
// servers and clients over Bun.listen and Bun.connect. Re-exports only; the
// WebSocketLike they return comes from websocket-server/connection.
export * from './adapters/bun.ts';
