// Topic 5: memory per connection: the retained heap (JS heap plus array
// buffers) of an idle MessageReader, of one holding half of a masked 64 KiB
// frame, and of one that has finished such a message, against ws's Receiver.
// Measured as the growth over many live instances after a full GC.
import { check, gc, print, quick } from './_harness.mjs';
import { ours, wsJS, wsNative } from './_libs.mjs';
import { refFrame } from './_frames.mjs';

const KEY = Uint8Array.from([1, 2, 3, 4]);

function used() {
  gc(); gc();
  const m = globalThis.process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes retained per instance: `make` builds one and brings it to the state measured. */
function perInstance(make, count) {
  const keep = new Array(count);
  const before = used();
  for (let i = 0; i < count; i++) keep[i] = make();
  const after = used();
  if (keep.length !== count) throw new Error('Unreachable');
  return (after - before) / count;
}

export async function run() {
  if (!gc) {
    print('5. Memory per connection', ['note'], [['skipped: run with --expose-gc (node), --v8-flags=--expose-gc (deno)']]);
    return;
  }
  const frame = refFrame(2, new Uint8Array(65536).fill(0x55), KEY);
  const half = 14 + 32768;
  // Each instance gets its own chunk, as a socket hands out; the chunk itself is dropped after the push.
  const firstHalf = () => Buffer.from(frame.subarray(0, half));
  const secondHalf = () => Buffer.from(frame.subarray(half));
  const N = quick ? 2000 : 10000;
  const NB = quick ? 200 : 1000;
  const ws = wsNative ?? wsJS;
  const wsRecv = () => { const r = new ws.Receiver({ isServer: true }); r.on('message', () => {}); return r; };
  const states = {
    idle: [() => new ours.MessageReader(), () => wsRecv(), N],
    'half of a 64 KiB frame': [() => { const r = new ours.MessageReader(); r.push(firstHalf()); return r; }, () => { const r = wsRecv(); r.write(firstHalf()); return r; }, NB],
    'after a 64 KiB message': [() => { const r = new ours.MessageReader(); r.push(firstHalf()); if (r.push(secondHalf()).length !== 1) throw new Error('No message'); return r; },
      () => { const r = wsRecv(); r.write(firstHalf()); r.write(secondHalf()); return r; }, NB],
  };
  const rows = [];
  const res = {};
  for (const [state, [mine, theirs, count]] of Object.entries(states)) {
    perInstance(mine, 10); perInstance(theirs, 10); // warm-up: code and hidden classes
    const a = perInstance(mine, count), b = perInstance(theirs, count);
    res[state] = a;
    rows.push([state, `${a.toFixed(0)} B`, `${b.toFixed(0)} B`, `${(a / b).toFixed(2)}x`]);
  }
  const verdicts = [
    check('memory', 'idle reader < 512 B', `${res.idle.toFixed(0)} B`, res.idle < 512),
    check('memory', 'no buffer retained after a message', `${res['after a 64 KiB message'].toFixed(0)} B`, res['after a 64 KiB message'] < 1024),
  ];
  print('5. Memory per connection (bytes retained per instance)', ['state', 'MessageReader', `ws Receiver`, 'ours/ws'], rows,
    [`${verdicts.join('; ')}. Retained = growth of heapUsed + arrayBuffers over ${N} idle / ${NB} busy instances after a full GC. ws's Receiver is a Writable stream; its socket, WebSocket and Sender objects are not counted.`]);
}
