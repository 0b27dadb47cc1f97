// Sections 9 and 10, the client-role counterparts of the server suite's
// (../_cases-limits.mjs) with smaller counts, so that a whole run stays in
// seconds: large messages in one frame and in fragments, small chops, round
// trips, and messages fragmented as an auto-fragmenting server would. No
// limits case (the server suite's 9.9): a client's limits are its own option.
import { frame, chop } from './_peer.mjs';
import { OP, text, binary } from '../_expect.mjs';

const cases = [];
const KiB = 1024;
const MiB = 1024 * KiB;
const memo = new Map();
/** `n` bytes of text or binary, made once (the big ones are compared whole). */
const payload = (n, op) => {
  const key = `${op}:${n}`;
  if (!memo.has(key)) memo.set(key, op === OP.TEXT ? Buffer.alloc(n, 'BAsd7&jh23') : Buffer.alloc(n, 0xfe));
  return memo.get(key);
};
const kinds = [[OP.TEXT, text, 'text'], [OP.BINARY, binary, 'binary']];
const size = (n) => (n >= MiB ? `${n / MiB} MiB` : n >= KiB ? `${n / KiB} KiB` : `${n} B`);

/** A message as frames of `fragment` bytes each (RFC 6455 §5.4), as one buffer. */
function fragmented(op, data, fragment) {
  return Buffer.concat(chop(data, fragment).map((p, i, all) => frame(i === 0 ? op : OP.CONT, p, { fin: i === all.length - 1 })));
}

// 9.1 / 9.2 — large messages in one frame (Autobahn: 64 KiB to 16 MiB).
kinds.forEach(([op, ev, name], k) => {
  [64 * KiB, 256 * KiB, MiB, 4 * MiB, 16 * MiB].forEach((n, i) => {
    cases.push({ id: `9.${1 + k}.${i + 1}`, title: `A ${size(n)} ${name} message in one frame`, run: (s) => s.send(frame(op, payload(n, op))), expect: [ev(payload(n, op))], timeout: 20000 });
  });
});

// 9.3 / 9.4 — a 1 MiB message in fragments of 64 B (16,384 frames) up to 1 MiB (Autobahn: 4 MiB).
kinds.forEach(([op, ev, name], k) => {
  [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB].forEach((f, i) => {
    cases.push({ id: `9.${3 + k}.${i + 1}`, title: `A 1 MiB ${name} message in ${size(f)} fragments`, run: (s) => s.send(fragmented(op, payload(MiB, op), f)), expect: [ev(payload(MiB, op))], timeout: 20000 });
  });
});

// 9.5 / 9.6 — a 256 KiB message in one frame, written in chops of 64 B to 2 KiB (Autobahn: 1 MiB).
kinds.forEach(([op, ev, name], k) => {
  [64, 128, 256, 512, KiB, 2 * KiB].forEach((chopSize, i) => {
    cases.push({ id: `9.${5 + k}.${i + 1}`, title: `A 256 KiB ${name} message written in chops of ${chopSize} B`, run: (s) => s.sendChopped(frame(op, payload(256 * KiB, op)), chopSize), expect: [ev(payload(256 * KiB, op))], timeout: 20000 });
  });
});

// 9.7 / 9.8 — ROUNDS messages, each sent once the previous echo arrived (Autobahn: 1000).
const ROUNDS = 200;
kinds.forEach(([op, ev, name], k) => {
  [0, 16, 64, 256, KiB, 4 * KiB].forEach((n, i) => {
    cases.push({
      id: `9.${7 + k}.${i + 1}`,
      title: `${ROUNDS} ${name} messages of ${size(n)}, one round trip each`,
      async run(s) {
        const f = frame(op, payload(n, op));
        for (let m = 0; m < ROUNDS; m++) {
          await s.send(f);
          if (!(await s.waitEvents(m + 1, 3000)) || s.close !== null || s.events.length > m + 1) return;
        }
      },
      expect: Array.from({ length: ROUNDS }, () => ev(payload(n, op))),
      timeout: 20000,
    });
  });
});

// 10.1 — messages as an auto-fragmenting server writes them: whole on the client's side.
const UTF8 = Buffer.from('aé€😀Zж中𝄞'.repeat(50)); // 1000 bytes, code points of 1 to 4 bytes
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff));
cases.push(
  { id: '10.1.1', title: 'A 64 KiB text message in 1300-byte fragments', run: (s) => s.send(fragmented(OP.TEXT, payload(64 * KiB, OP.TEXT), 1300)), expect: [text(payload(64 * KiB, OP.TEXT))] },
  { id: '10.1.2', title: 'A 1000-byte text message of 1- to 4-byte code points in 1-byte fragments', run: (s) => s.send(fragmented(OP.TEXT, UTF8, 1)), expect: [text(UTF8)] },
  { id: '10.1.3', title: 'A 1000-byte binary message in 1-byte fragments, written a frame at a time', run: (s) => s.sendEach(chop(fragmented(OP.BINARY, BYTES, 1), 3)), expect: [binary(BYTES)] },
);

export default cases;
