// A user's TypeScript file, checked by spec/package/run.mjs as it stands in a
// folder that installed the packed tarball: by tsc under moduleResolution
// node16 and bundler, and (specifier swapped for the JSR name) by `deno check`
// through jsr.json's exports. The `@ts-expect-error` lines fail the check when
// the types resolve to `any` or to nothing.
import {
  computeAcceptKey,
  decodeFrame,
  encodeTextFrame,
  FRAME_RULES,
  MessageReader,
  parseUpgradeRequest,
  ProtocolError,
  type FrameRule,
  type Message,
} from 'websocket-server';

const accept: string = computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ==');
const frame: Uint8Array = encodeTextFrame('hello', { mask: true });
const messages: Message[] = new MessageReader({ role: 'server' }).push(frame);
for (const m of messages) {
  if (m.type === 'text') console.log(m.data.toUpperCase()); // narrowed by the `type` tag
  else if (m.type === 'close') console.log(m.code + 1, m.reason);
}
const request = parseUpgradeRequest('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
if (request !== null) console.log(request.headLength.toFixed(0), request.protocols.join());
try {
  decodeFrame(frame, { requireMask: false });
} catch (e) {
  if (e instanceof ProtocolError) {
    const rule: FrameRule = e.rule;
    const code: number = FRAME_RULES[rule].closeCode;
    console.log(e.closeCode === code);
  }
}

// Each misuse below must be an error.
// @ts-expect-error the key is a string
computeAcceptKey(42);
// @ts-expect-error role is 'server' | 'client'
new MessageReader({ role: 'peer' });
// @ts-expect-error a text message's data is a string, not bytes
const wrong: Uint8Array = (messages[0] as Extract<Message, { type: 'text' }>).data;
// @ts-expect-error the request may be incomplete (null)
console.log(parseUpgradeRequest('GET').path);
// @ts-expect-error rules are a closed set of names
const made: FrameRule = 'no-such-rule';

console.log(accept, wrong, made);
