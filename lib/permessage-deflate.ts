// Browser compatible. The permessage-deflate entry point (RFC 7692): a
// synchronous raw DEFLATE (RFC 1951) in both directions and the extension
// that negotiates it on a connection. Re-exports only.
export * from './deflate/inflate.ts';
export * from './deflate/deflate.ts';
export * from './extensions/permessage-deflate.ts';
