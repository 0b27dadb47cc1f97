// WebSocketLike's browser surface, apart from any adapter: the on-handlers
// (each called once per event, in every runtime: workerd's dispatchEvent
// calls a target's on<type> property by itself), readyState constants,
// binaryType, and send's states. Runs in every runtime.
import { suite } from 'uvu';
import { bufferLike } from '../_util.mjs';
import * as assert from 'uvu/assert';
import { ServerConnection, WebSocketLike, InvalidStateError } from '../../dist/connection.js';

const test = suite('WebSocketLike');

/** A WebSocketLike over a fresh server connection and a host that records flushes. */
function socket() {
  const host = { conn: new ServerConnection(), transport: { bufferedAmount: 0 }, ready: 0, flushed: 0, flush() { this.flushed++; }, drop() {} };
  return { ws: new WebSocketLike(host, '/x'), host };
}

test('an on-handler runs once per event, and replacing or clearing it takes effect', () => {
  const { ws } = socket();
  const calls = [];
  ws.onmessage = (e) => calls.push(['a', e.data]);
  ws.addEventListener('message', (e) => calls.push(['listener', e.data]));
  ws.dispatchEvent(new MessageEvent('message', { data: 1 }));
  ws.onmessage = (e) => calls.push(['b', e.data]);
  ws.dispatchEvent(new MessageEvent('message', { data: 2 }));
  ws.onmessage = null;
  ws.dispatchEvent(new MessageEvent('message', { data: 3 }));
  assert.equal(calls.filter((c) => c[0] !== 'listener'), [['a', 1], ['b', 2]]);
  assert.equal(calls.filter((c) => c[0] === 'listener').map((c) => c[1]), [1, 2, 3]);
  assert.is(ws.onmessage, null);
});

test('binary data as binaryType asks, exactly its bytes from a view into a larger chunk (a Node Buffer\'s slice is a view)', async () => {
  const { ws } = socket();
  const data = bufferLike(new Uint8Array([1, 2, 3, 4, 5]), 8);
  const ab = ws._binary(data);
  assert.ok(ab instanceof ArrayBuffer);
  assert.equal([...new Uint8Array(ab)], [1, 2, 3, 4, 5]);
  data.fill(9);
  assert.equal([...new Uint8Array(ab)], [1, 2, 3, 4, 5], 'a copy, not the chunk');
  const whole = new Uint8Array([7, 8]);
  assert.is(ws._binary(whole), whole.buffer, 'a view of a whole buffer gives that buffer');
  ws.binaryType = 'uint8array';
  assert.is(ws._binary(data), data);
  if (typeof Blob === 'function') {
    ws.binaryType = 'blob';
    const blob = ws._binary(new Uint8Array([1, 2, 3]));
    assert.equal([...new Uint8Array(await blob.arrayBuffer())], [1, 2, 3]);
  }
});

test('the browser surface: constants, url, binaryType, and send while connecting', () => {
  const { ws } = socket();
  assert.equal([WebSocketLike.CONNECTING, WebSocketLike.OPEN, WebSocketLike.CLOSING, WebSocketLike.CLOSED], [0, 1, 2, 3]);
  assert.equal([ws.CONNECTING, ws.OPEN, ws.CLOSING, ws.CLOSED], [0, 1, 2, 3]);
  assert.is(ws.url, '/x');
  assert.is(ws.readyState, 0);
  assert.is(ws.binaryType, 'arraybuffer');
  ws.binaryType = 'uint8array';
  assert.is(ws.binaryType, 'uint8array');
  assert.throws(() => { ws.binaryType = 'nodebuffer'; }, (e) => e instanceof TypeError);
  assert.ok(ws instanceof EventTarget);
  assert.throws(() => ws.send('early'), (e) => e instanceof InvalidStateError);
  assert.is(ws.protocol, '');
  assert.is(ws.bufferedAmount, 0);
});

test.run();
