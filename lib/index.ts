// Browser compatible. The core entry point: re-exports only, layer by layer.
export * from './errors.ts';
export * from './rules.ts';
export * from './rfc6455.ts';
export * from './primitives/sha1.ts';
export * from './primitives/base64.ts';
export * from './primitives/mask.ts';
export * from './frame/close.ts';
export * from './frame/encode.ts';
export * from './frame/decode.ts';
export * from './handshake/accept.ts';
export * from './handshake/extensions.ts';
export * from './handshake/server.ts';
export * from './handshake/check.ts';
export * from './handshake/client.ts';
export type * from './stream/message.ts';
export * from './stream/reader.ts';
