// Browser compatible. MessageReader's options, read and checked once, apart
// from the reader's hot paths.
import { checkKeys, readBoolean, readLimit } from '../primitives/_options.ts';
import { DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_MESSAGE_SIZE } from '../rfc6455.ts';
import type { MessageReaderOptions, MessageTransform } from './message.ts';

const WHERE = 'Cannot create reader';
const KEYS = ['role', 'maxMessageSize', 'maxFragments', 'unmaskInPlace', 'extension'];

/** A reader's settings: `mask` 1 to require masked frames (server), -1 to refuse them (client). */
export interface ReaderSettings { mask: number; maxMessage: number; maxFragments: number; inPlace: boolean; ext: MessageTransform | null }

/**
 * Reads each option once (a getter cannot answer twice), refusing unknown
 * keys with the nearest known name, wrong types (TypeError) and bad limits
 * (RangeError).
 */
export function readReaderOptions(options: MessageReaderOptions | undefined): ReaderSettings {
  let role: unknown, maxMessage: unknown, maxFragments: unknown, inPlace: unknown, ext: unknown;
  if (options !== undefined) {
    checkKeys(options, KEYS, WHERE);
    ({ role, maxMessageSize: maxMessage, maxFragments, unmaskInPlace: inPlace, extension: ext } = options);
  }
  // No role (undefined) is the server's.
  if (role !== undefined && role !== 'server' && role !== 'client') throw new TypeError(`${WHERE}: role must be 'server' or 'client', got ${typeof role === 'string' ? JSON.stringify(role) : typeof role}`);
  return {
    mask: role === 'client' ? -1 : 1,
    maxMessage: readLimit(maxMessage, DEFAULT_MAX_MESSAGE_SIZE, 'maxMessageSize', WHERE),
    maxFragments: readLimit(maxFragments, DEFAULT_MAX_FRAGMENTS, 'maxFragments', WHERE),
    inPlace: readBoolean(inPlace, false, 'unmaskInPlace', WHERE),
    ext: ext === undefined ? null : readTransform(ext as MessageTransform),
  };
}

/** The `extension` option: RSV bits (a sum of 0x40, 0x20, 0x10) and a `decode` function. */
function readTransform(ext: MessageTransform): MessageTransform {
  const rsv: unknown = ext?.rsv;
  if (typeof ext?.decode !== 'function' || typeof rsv !== 'number' || !(rsv > 0 && (rsv & ~0x70) === 0)) throw new TypeError(`${WHERE}: extension must have rsv bits and a decode function`);
  return ext;
}
