// Sections 9 and 10 after the Autobahn|Testsuite fuzzing-client cases: large
// messages, many fragments, small chops, many round trips, auto-fragmentation,
// plus 9.9: the server's documented limits (RFC 6455 §10.4), read from the
// bundle's constants because the servers run with their defaults.
import { frame, chop } from './_client.mjs';
import { OP, text, binary } from './_expect.mjs';
import { DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_MESSAGE_SIZE } from '../../dist/index.js';

const cases = [];
const KiB = 1024;
const MiB = 1024 * KiB;
const payload = (n, op) => (op === OP.TEXT ? Buffer.alloc(n, 'BAsd7&jh23') : Buffer.alloc(n, 0xfe));
const kinds = [[OP.TEXT, text, 'text'], [OP.BINARY, binary, 'binary']];
const size = (n) => (n >= MiB ? `${n / MiB} MiB` : n >= KiB ? `${n / KiB} KiB` : `${n} B`);

/** A message as frames of `fragment` bytes each (RFC 6455 §5.4), as one buffer. */
function fragmented(op, data, fragment) {
  const frames = chop(data, fragment).map((p, i, all) => frame(i === 0 ? op : OP.CONT, p, { fin: i === all.length - 1 }));
  return Buffer.concat(frames);
}

// 9.1 / 9.2 — large messages in one frame.
kinds.forEach(([op, ev, name], k) => {
  [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB].forEach((n, i) => {
    cases.push({ id: `9.${1 + k}.${i + 1}`, title: `A ${size(n)} ${name} message in one frame`, run: (c) => c.send(frame(op, payload(n, op))), expect: [ev(payload(n, op))], timeout: 20000 });
  });
});

// 9.3 / 9.4 — a 4 MiB message in fragments of 64 B (65,536 frames) up to 4 MiB.
kinds.forEach(([op, ev, name], k) => {
  [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB].forEach((f, i) => {
    cases.push({ id: `9.${3 + k}.${i + 1}`, title: `A 4 MiB ${name} message in ${size(f)} fragments`, run: (c) => c.send(fragmented(op, payload(4 * MiB, op), f)), expect: [ev(payload(4 * MiB, op))], timeout: 20000 });
  });
});

// 9.5 / 9.6 — a 1 MiB message in one frame, written in chops of 64 B to 2 KiB.
kinds.forEach(([op, ev, name], k) => {
  [64, 128, 256, 512, KiB, 2 * KiB].forEach((chopSize, i) => {
    cases.push({ id: `9.${5 + k}.${i + 1}`, title: `A 1 MiB ${name} message written in chops of ${chopSize} B`, run: (c) => c.sendChopped(frame(op, payload(MiB, op)), chopSize), expect: [ev(payload(MiB, op))], timeout: 20000 });
  });
});

// 9.7 / 9.8 — 1000 messages, each sent after the previous echo arrived.
kinds.forEach(([op, ev, name], k) => {
  [0, 16, 64, 256, KiB, 4 * KiB].forEach((n, i) => {
    cases.push({
      id: `9.${7 + k}.${i + 1}`,
      title: `1000 ${name} messages of ${size(n)}, one round trip each`,
      async run(c) {
        const f = frame(op, payload(n, op));
        for (let m = 0; m < 1000; m++) {
          await c.send(f);
          if (!(await c.waitEvents(m + 1, 3000)) || c.close !== null) return;
        }
      },
      expect: Array.from({ length: 1000 }, () => ev(payload(n, op))),
      timeout: 20000,
    });
  });
});

// 9.9 — beyond Autobahn: the limits (RFC 6455 §10.4), known from headers alone.
const over = DEFAULT_MAX_MESSAGE_SIZE + 1;
cases.push(
  {
    id: '9.9.1', title: `A text frame declaring ${over} bytes (maxMessageSize + 1), header only: 1009 before any payload`,
    run: (c) => c.send(frame(OP.TEXT, Buffer.alloc(0), { declare: over })), expect: [], fail: 1009,
  },
  {
    id: '9.9.2', title: 'A 1-byte fragment, then a continuation header that takes the message past maxMessageSize: 1009',
    run: (c) => c.send(Buffer.concat([frame(OP.BINARY, 'x', { fin: false }), frame(OP.CONT, Buffer.alloc(0), { declare: DEFAULT_MAX_MESSAGE_SIZE })])), expect: [], fail: 1009,
  },
  {
    id: '9.9.3', title: `A text message in exactly maxFragments (${DEFAULT_MAX_FRAGMENTS}) 1-byte fragments: echoed`,
    run: (c) => c.send(fragmented(OP.TEXT, Buffer.alloc(DEFAULT_MAX_FRAGMENTS, 'a'), 1)), expect: [text(Buffer.alloc(DEFAULT_MAX_FRAGMENTS, 'a'))], timeout: 20000,
  },
  {
    id: '9.9.4', title: `A text message in maxFragments + 1 empty fragments: 1009`,
    run: (c) => c.send(Buffer.concat(Array.from({ length: DEFAULT_MAX_FRAGMENTS + 1 }, (_, i) => frame(i === 0 ? OP.TEXT : OP.CONT, Buffer.alloc(0), { fin: i === DEFAULT_MAX_FRAGMENTS })))),
    expect: [], fail: 1009, timeout: 20000,
  },
);

// 10.1 — a message fragmented by the client (autoFragmentSize 1300) is echoed whole.
cases.push({ id: '10.1.1', title: 'A 64 KiB text message in 1300-byte fragments', run: (c) => c.send(fragmented(OP.TEXT, payload(64 * KiB, OP.TEXT), 1300)), expect: [text(payload(64 * KiB, OP.TEXT))] });

export default cases;
