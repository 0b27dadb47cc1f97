// Browser compatible. What the stream layer hands out: whole messages and control frames.

/** What `MessageReader.push` returns: whole messages and control frames. */
export type Message =
  | { type: 'text'; data: string }
  | { type: 'binary'; data: Uint8Array }
  | { type: 'ping' | 'pong'; data: Uint8Array }
  | { type: 'close'; code: number; reason: string };
