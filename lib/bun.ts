// Browser compatible (imports no Bun module). The Bun entry point: WebSocket servers and clients over Bun.listen and Bun.connect. Re-exports only.
export * from './adapters/bun.ts';
export type { WebSocketLike, TimerOptions, ServerAdapterOptions, BinaryType } from './adapters/websocket.ts';
