// Browser compatible. The public API: re-exports only.
export * from './errors.ts';
export * from './sha1.ts';
export * from './base64.ts';
export * from './mask.ts';
export * from './opcode.ts';
export * from './close.ts';
export * from './encode.ts';
export * from './decode.ts';
export * from './accept.ts';
export * from './handshake.ts';
export * from './reader.ts';
