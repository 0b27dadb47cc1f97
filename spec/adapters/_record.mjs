// Records the events of a WebSocketLike (or a runtime's WebSocket): shared by
// the adapter specs. Portable: it runs in Node, Deno and Bun.

/** Each event's type in order, the messages' data, the close, the error, and counts of drains and pings. */
export function record(ws) {
  const log = { events: [], messages: [], close: null, error: null, drains: 0, pings: 0 };
  ws.addEventListener('open', () => log.events.push('open'));
  ws.addEventListener('message', (e) => { log.events.push('message'); log.messages.push(e.data); });
  ws.addEventListener('error', (e) => { log.events.push('error'); log.error = e.error; });
  ws.addEventListener('close', (e) => { log.events.push('close'); log.close = { code: e.code, reason: e.reason, wasClean: e.wasClean }; });
  ws.addEventListener('drain', () => log.drains++);
  ws.addEventListener('ping', () => log.pings++);
  return log;
}
