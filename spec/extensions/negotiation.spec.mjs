// permessage-deflate's negotiation (RFC 7692 §5, §7.1): what a client
// offers, what a server answers to each offer (or declines), what a client
// accepts, and the agreement end to end through the connections' handshake.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClientConnection, ServerConnection } from '../../dist/connection.js';
import { buildUpgradeRequest, HandshakeError } from '../../dist/index.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';
import { expectThrow } from '../_util.mjs';
import { brief, pump, requestHead, URL } from '../connection/_pair.mjs';

const test = suite('permessage-deflate negotiation');
const answer = (ext, ...offers) => ext.negotiate(offers)?.params;

test('offer(): a bare client_max_window_bits by default; each option adds its parameter (RFC 7692 §7.1)', () => {
  assert.equal(permessageDeflate().offer(), [{ client_max_window_bits: true }]);
  assert.equal(permessageDeflate({ serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 9 }).offer(), [{
    server_no_context_takeover: true, client_no_context_takeover: true, server_max_window_bits: '10', client_max_window_bits: '9',
  }]);
  // The same offer as a request header, through buildUpgradeRequest.
  const { request } = buildUpgradeRequest(URL, { extensions: [permessageDeflate({ serverMaxWindowBits: 12 })] });
  assert.match(request, /\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12; client_max_window_bits\r\n/);
});

test('negotiate(): the answer to each kind of offer (RFC 7692 §7.1.1, §7.1.2)', () => {
  const CASES = [
    // [server options, offer, answer]
    [{}, {}, {}],
    [{}, { client_max_window_bits: true }, {}],
    [{}, { server_no_context_takeover: true }, { server_no_context_takeover: true }],
    [{}, { client_no_context_takeover: true }, { client_no_context_takeover: true }],
    [{}, { server_max_window_bits: '10' }, { server_max_window_bits: '10' }],
    [{}, { client_max_window_bits: '9' }, { client_max_window_bits: '9' }],
    [{ serverNoContextTakeover: true }, {}, { server_no_context_takeover: true }],
    [{ clientNoContextTakeover: true }, {}, { client_no_context_takeover: true }], // §7.1.1.2: a server may, unasked
    [{ serverMaxWindowBits: 11 }, {}, { server_max_window_bits: '11' }],
    [{ serverMaxWindowBits: 11 }, { server_max_window_bits: '13' }, { server_max_window_bits: '11' }], // the smaller
    [{ serverMaxWindowBits: 11 }, { server_max_window_bits: '9' }, { server_max_window_bits: '9' }],
    [{ clientMaxWindowBits: 10 }, { client_max_window_bits: true }, { client_max_window_bits: '10' }],
    [{ clientMaxWindowBits: 10 }, { client_max_window_bits: '12' }, { client_max_window_bits: '10' }],
    [{ clientMaxWindowBits: 10 }, { client_max_window_bits: '8' }, { client_max_window_bits: '8' }],
    [{ clientMaxWindowBits: 15 }, {}, {}], // 15 asks nothing of the client
    [{}, { server_max_window_bits: '15', client_max_window_bits: '15' }, { server_max_window_bits: '15', client_max_window_bits: '15' }],
  ];
  for (const [options, offer, expected] of CASES) {
    assert.equal(answer(permessageDeflate(options), offer), expected, `${JSON.stringify(options)} ${JSON.stringify(offer)}`);
  }
});

test('negotiate(): an offer it cannot honour is declined and the next one taken (RFC 7692 §5.1, §7.1)', () => {
  const ext = permessageDeflate();
  const BAD = [
    { x_unknown: true }, { server_no_context_takeover: '1' }, { client_no_context_takeover: 'x' },
    { server_max_window_bits: true }, { server_max_window_bits: '7' }, { server_max_window_bits: '16' }, { server_max_window_bits: '08' },
    { server_max_window_bits: '9.0' }, { server_max_window_bits: '+9' }, { client_max_window_bits: '0' }, { client_max_window_bits: '010' },
    { client_max_window_bits: 'abc' },
  ];
  for (const bad of BAD) {
    assert.is(ext.negotiate([bad]), undefined, JSON.stringify(bad));
    assert.equal(answer(ext, bad, { server_no_context_takeover: true }), { server_no_context_takeover: true }, `the next offer after ${JSON.stringify(bad)}`);
  }
  // A window for the client below 15 needs a client that said it can use one (§7.1.2.2).
  assert.is(permessageDeflate({ clientMaxWindowBits: 12 }).negotiate([{}]), undefined);
  assert.equal(answer(permessageDeflate({ clientMaxWindowBits: 12 }), {}, { client_max_window_bits: true }), { client_max_window_bits: '12' });
});

test('accept(): what a client takes from the answer, and each answer it fails (RFC 7692 §7.1)', () => {
  const ok = (options, params) => assert.is(permessageDeflate(options).accept(params).rsv, 0x40, JSON.stringify(params));
  ok({}, {});
  ok({}, { server_no_context_takeover: true }); // §7.1.1.1: a server may say so unasked
  ok({}, { client_no_context_takeover: true, server_max_window_bits: '8', client_max_window_bits: '8' });
  ok({ serverNoContextTakeover: true, serverMaxWindowBits: 10 }, { server_no_context_takeover: true, server_max_window_bits: '9' });
  ok({ clientMaxWindowBits: 10 }, { client_max_window_bits: '10' });
  const FAILS = [
    [{}, { x: true }, /unknown parameter x/],
    [{}, { server_max_window_bits: '16' }, /server_max_window_bits=16/],
    [{}, { server_max_window_bits: true }, /server_max_window_bits without a value/],
    [{}, { client_max_window_bits: true }, /client_max_window_bits without a value/],
    [{}, { client_no_context_takeover: '1' }, /client_no_context_takeover=1/],
    [{ serverNoContextTakeover: true }, {}, /lacks server_no_context_takeover/],
    [{ serverMaxWindowBits: 10 }, {}, /server_max_window_bits=\(none\)/],
    [{ serverMaxWindowBits: 10 }, { server_max_window_bits: '11' }, /server_max_window_bits=11, not at most the 10/],
    [{ clientMaxWindowBits: 10 }, { client_max_window_bits: '11' }, /client_max_window_bits=11, over the 10/],
  ];
  for (const [options, params, why] of FAILS) {
    expectThrow(() => permessageDeflate(options).accept(params), HandshakeError, { rule: 'extension-params-rejected', status: 0 }, JSON.stringify(params));
    try { permessageDeflate(options).accept(params); } catch (e) { assert.match(e.message, why); }
  }
});

test('options: strict keys and values (TypeError, RangeError)', () => {
  for (const [options, kind] of [
    [{ level: 10 }, RangeError], [{ level: -1 }, RangeError], [{ level: 1.5 }, RangeError], [{ level: '6' }, TypeError],
    [{ serverMaxWindowBits: 7 }, RangeError], [{ clientMaxWindowBits: 16 }, RangeError], [{ serverMaxWindowBits: true }, TypeError],
    [{ threshold: -1 }, RangeError], [{ threshold: Infinity }, RangeError], [{ threshold: null }, TypeError],
    [{ serverNoContextTakeover: 1 }, TypeError], [{ clientNoContextTakeover: 'yes' }, TypeError],
    [{ treshold: 10 }, TypeError], [null, TypeError], [7, TypeError],
  ]) {
    assert.throws(() => permessageDeflate(options), (e) => e instanceof kind, JSON.stringify(options));
  }
});

test('through the connections: the agreement on both sides, and declined offers leave the connection uncompressed', () => {
  const s = new ServerConnection({ extensions: [permessageDeflate({ serverNoContextTakeover: true })] });
  const c = new ClientConnection(URL, { extensions: [permessageDeflate({ serverMaxWindowBits: 12 })] });
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['request']);
  s.accept();
  const head = new TextDecoder().decode(pump(s, c));
  assert.match(head, /\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=12\r\n/);
  assert.equal(brief(c.takeEvents()), ['open']);
  assert.is(c.extensions, 'permessage-deflate; server_no_context_takeover; server_max_window_bits=12');
  assert.is(s.extensions, c.extensions);
  // A browser's offer with a repeated parameter, then a good one: the first is declined (RFC 7692 §7.1).
  const s2 = new ServerConnection({ extensions: [permessageDeflate()] });
  s2.receive(new TextEncoder().encode(requestHead({ extra: 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10; server_max_window_bits=11, permessage-deflate; client_no_context_takeover\r\n' })));
  s2.takeEvents();
  s2.accept();
  assert.is(s2.extensions, 'permessage-deflate; client_no_context_takeover');
  // Every offer bad: no extension, the connection opens all the same.
  const s3 = new ServerConnection({ extensions: [permessageDeflate()] });
  s3.receive(new TextEncoder().encode(requestHead({ extra: 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=99\r\n' })));
  s3.takeEvents();
  s3.accept();
  assert.is(s3.extensions, '');
  assert.is(s3.state, 'open');
});

test('a client fails the connection on an answer it did not ask for: close 1006 with the HandshakeError', () => {
  const c = new ClientConnection(URL, { extensions: [permessageDeflate({ clientMaxWindowBits: 10 })] });
  const request = new TextDecoder().decode(pump(c, { receive() {} }));
  const s = new ServerConnection();
  s.receive(new TextEncoder().encode(request));
  s.takeEvents();
  s.accept();
  // A server answering client_max_window_bits=12 when the client offered 10.
  const ok = new TextDecoder().decode(pump(s, { receive() {} }));
  const bad = ok.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=12\r\n\r\n');
  c.receive(new TextEncoder().encode(bad));
  const [close] = c.takeEvents();
  assert.is(close.type, 'close');
  assert.is(close.code, 1006);
  assert.is(close.error.rule, 'extension-params-rejected');
  assert.is(c.shouldCloseTransport, true);
});

test.run();
