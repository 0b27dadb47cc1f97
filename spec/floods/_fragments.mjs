// Fragment floods (the attack ws patched in 2026): a message split into
// endless tiny or empty frames. RFC 6455 §10.4 leaves limits to the
// implementation; the server's MessageReader budget (DEFAULT_MAX_FRAGMENTS,
// 131,072 frames per message, the server's --max-fragments) must cut the flood
// off with Close 1009 (RFC 6455 §7.4.1 "message too big") and close TCP.
// Defence removed (--defeat: --max-fragments 1000000000): no Close comes, the
// specs time out and fail — checked, see docs/hardening.md, "Floods and slow peers".
import { DEFAULT_MAX_FRAGMENTS, encodeFrame } from '../../dist/index.js';
import { open, until, writeAll } from './_client.mjs';
import { startServer } from './_server.mjs';

const KEY = new Uint8Array([0x11, 0x22, 0x33, 0x44]);
const FLOOD = DEFAULT_MAX_FRAGMENTS + 70000; // frames sent: well past the budget
const DEFEAT = ['--max-fragments', '1000000000'];

/** `count` copies of one frame, as one buffer. */
function repeat(frame, count) {
  const out = Buffer.alloc(frame.length * count);
  out.fill(frame);
  return out;
}

const first = (opcode, payload) => encodeFrame(opcode, payload, { fin: false, mask: KEY });
const more = (payload, fin = false) => encodeFrame(0x0, payload, { fin, mask: KEY });

/** Sends `head`, then `body` in 64 KiB writes, until the server closes or all is sent. */
async function flood(c, head, body) {
  await writeAll(c.socket, head);
  for (let at = 0; at < body.length && !c.socket.destroyed && !c.messages.some((m) => m.type === 'close'); at += 65536) {
    if (!(await writeAll(c.socket, body.subarray(at, at + 65536)))) break;
  }
}

async function expectCutOff(ctx, head, unit) {
  const server = await startServer(ctx.defeat ? DEFEAT : [], ctx.script);
  try {
    const c = await open(server.port);
    await flood(c, head, repeat(unit, FLOOD));
    await until(() => c.messages.some((m) => m.type === 'close'), 5000, 'a Close frame from the server');
    const close = c.messages.find((m) => m.type === 'close');
    if (close.code !== 1009) throw new Error(`Close code ${close.code}, expected 1009`);
    if (c.messages.some((m) => m.type === 'text' || m.type === 'binary')) throw new Error('The flooded message was echoed');
    await Promise.race([c.closed, new Promise((_, no) => setTimeout(() => no(new Error('The server did not close TCP in 5 s')), 5000))]);
    c.socket.destroy();
    return `Close 1009 during a flood of up to ${FLOOD} frames (budget ${DEFAULT_MAX_FRAGMENTS})`;
  } finally {
    server.stop();
  }
}

export const CASES = [
  ['tiny-fragment flood is cut off with Close 1009', (ctx) => expectCutOff(ctx, first(0x1, 'a'), more('a'))],
  ['empty-frame flood is cut off with Close 1009', (ctx) => expectCutOff(ctx, first(0x2, new Uint8Array(0)), more(new Uint8Array(0)))],
  // The boundary: exactly the budget passes (so the cut-off above is the budget, not something else).
  [`a message in exactly ${DEFAULT_MAX_FRAGMENTS} one-byte fragments is echoed`, async (ctx) => {
    const server = await startServer([], ctx.script);
    try {
      const c = await open(server.port);
      await flood(c, first(0x1, 'a'), Buffer.concat([repeat(more('a'), DEFAULT_MAX_FRAGMENTS - 2), more('a', true)]));
      await until(() => c.messages.length > 0, 10000, 'the echo');
      const m = c.messages[0];
      if (m.type !== 'text' || m.data !== 'a'.repeat(DEFAULT_MAX_FRAGMENTS)) throw new Error(`Got ${m.type} ${m.data?.length ?? m.code}`);
      c.socket.destroy();
      return `${DEFAULT_MAX_FRAGMENTS} fragments reassembled into one ${DEFAULT_MAX_FRAGMENTS}-character message`;
    } finally {
      server.stop();
    }
  }, true],
];
