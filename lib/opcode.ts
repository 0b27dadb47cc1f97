// Browser compatible. Frame opcodes (RFC 6455 §5.2, §11.8).

/**
 * The opcodes RFC 6455 §5.2 defines. 0x3-0x7 and 0xB-0xF are reserved.
 * @example Compare a decoded frame's opcode
 * ```ts
 * if (frame.opcode === Opcode.Ping) socket.write(encodePongFrame(frame.payload));
 * ```
 */
export const Opcode = Object.freeze({
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const);

/** The name of an opcode, as `frameTypeName` returns it. */
export type OpcodeName = 'continuation' | 'text' | 'binary' | 'close' | 'ping' | 'pong' | 'unknown';

const NAMES: readonly OpcodeName[] = [
  'continuation', 'text', 'binary', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown',
  'close', 'ping', 'pong', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown',
];

/**
 * Names a frame opcode (RFC 6455 §5.2).
 *
 * @param opcode The 4-bit opcode.
 * @returns `"continuation"`, `"text"`, `"binary"`, `"close"`, `"ping"`, `"pong"`, or `"unknown"` for reserved or out-of-range values.
 * @throws Never.
 * @example Name an opcode
 * ```ts
 * frameTypeName(0x9); // 'ping'
 * frameTypeName(0x3); // 'unknown'
 * ```
 */
export function frameTypeName(opcode: number): OpcodeName {
  return Number.isInteger(opcode) && opcode >= 0 && opcode <= 15 ? NAMES[opcode] : 'unknown';
}
