// Browser compatible (imports no runtime module). The WHATWG streams entry
// point (`websocket-server/web`): a WebSocket in either role over a
// `{ readable, writable }` pair (a Deno.Conn, a workerd Socket, Node's
// Duplex.toWeb(socket)). Re-exports only; the WebSocketLike it returns comes
// from websocket-server/connection.
export * from './adapters/web.ts';
