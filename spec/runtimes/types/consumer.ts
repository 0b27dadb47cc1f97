// A user's TypeScript file: type-checked (strict) by spec/node/pack.spec.mjs
// against dist/index.d.ts, reached both by the package name (package.json
// `exports`, `types` condition) and by a relative path to dist/index.js.
import { computeAcceptKey, encodeTextFrame, MessageReader, ProtocolError, type Message } from 'websocket-server';
import * as direct from '../../../dist/index.js';

const accept: string = computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ==');
const frame: Uint8Array = encodeTextFrame('hello', { mask: true });
const messages: Message[] = new MessageReader({ role: 'client', maxMessageSize: 1024 }).push(frame);
for (const m of messages) {
  if (m.type === 'close') console.log(m.code, m.reason); // narrowed by the `type` tag
  else if (m.type === 'text') console.log(m.data.toUpperCase());
}
try {
  direct.decodeFrame(frame, { requireMask: true });
} catch (e) {
  if (e instanceof ProtocolError) console.log(e.closeCode satisfies number);
}
const same: typeof computeAcceptKey = direct.computeAcceptKey;

// The declarations are real types, not `any`: each misuse below must be an error.
// @ts-expect-error the key is a string
computeAcceptKey(42);
// @ts-expect-error role is 'server' | 'client'
new MessageReader({ role: 'peer' });
// @ts-expect-error a text message's data is a string, not bytes
const wrong: Uint8Array = (messages[0] as Extract<Message, { type: 'text' }>).data;
// @ts-expect-error not an export
direct.xorKey;

console.log(accept, same, wrong);
