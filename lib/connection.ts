// Browser compatible. The connection entry point: sans-IO connections in both
// roles, and the WebSocket surface every adapter returns over one. Re-exports only.
export * from './connection/errors.ts';
export type * from './connection/types.ts';
export type * from './connection/extension.ts';
export { Connection } from './connection/base.ts';
export * from './connection/server.ts';
export * from './connection/client.ts';
export * from './connection/websocket.ts';
