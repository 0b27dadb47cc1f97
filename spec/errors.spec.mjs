// The error classes (lib/errors.ts) and the rule table they read (lib/rules.ts):
// a rule id decides the close code or the HTTP status, so one id can never be
// reported with two codes, and an id outside the table cannot be made.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLIENT_HANDSHAKE_RULES, FRAME_RULES, HANDSHAKE_RULES, HandshakeError, ProtocolError } from '../dist/index.js';

const test = suite('errors and rules');
const SECTION = /^RFC (6455|6585|7692|9110|9112) §\d+(\.\d+)*$/;

test('FRAME_RULES: kebab-case ids, each with a close code a peer may be failed with and an RFC section', () => {
  const ids = Object.keys(FRAME_RULES);
  assert.ok(ids.length >= 17, ids.join(', '));
  for (const id of ids) {
    const { closeCode, rfc } = FRAME_RULES[id];
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    // RFC 6455 §7.4.1: 1002 protocol error, 1007 invalid payload data, 1009 message too big.
    assert.ok([1002, 1007, 1009].includes(closeCode), `${id}: ${closeCode}`);
    assert.match(rfc, SECTION, id);
  }
  assert.ok(Object.isFrozen(FRAME_RULES));
});

test('HANDSHAKE_RULES: kebab-case ids, each with an HTTP status a refusal may carry and a section', () => {
  for (const [id, { status, rfc }] of Object.entries(HANDSHAKE_RULES)) {
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok([400, 405, 426, 431].includes(status), `${id}: ${status}`);
    assert.match(rfc, SECTION, id);
  }
  assert.is(HANDSHAKE_RULES['head-too-large'].status, 431);
  assert.is(HANDSHAKE_RULES['unsupported-version'].status, 426);
  assert.is(HANDSHAKE_RULES['method-not-get'].status, 405);
  assert.ok(Object.isFrozen(HANDSHAKE_RULES));
});

test('CLIENT_HANDSHAKE_RULES: kebab-case ids, status 0 (a client answers nothing, RFC 6455 §4.1), a section', () => {
  const ids = Object.keys(CLIENT_HANDSHAKE_RULES);
  assert.ok(ids.length >= 12, ids.join(', '));
  for (const id of ids) {
    const { status, rfc } = CLIENT_HANDSHAKE_RULES[id];
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.is(status, 0, id);
    assert.match(rfc, SECTION, id);
  }
  assert.ok(Object.isFrozen(CLIENT_HANDSHAKE_RULES));
});

test('no id is in two tables', () => {
  const tables = [FRAME_RULES, HANDSHAKE_RULES, CLIENT_HANDSHAKE_RULES];
  for (const a of tables) for (const b of tables) if (a !== b) assert.equal(Object.keys(a).filter((id) => Object.hasOwn(b, id)), []);
});

test('ProtocolError takes its close code from its rule, for every rule', () => {
  for (const [id, { closeCode }] of Object.entries(FRAME_RULES)) {
    const e = new ProtocolError(id, 'why');
    assert.ok(e instanceof Error);
    assert.is(e.name, 'ProtocolError');
    assert.is(e.rule, id);
    assert.is(e.closeCode, closeCode);
    assert.is(e.message, 'why');
    assert.equal(e.messages, []);
  }
});

test('HandshakeError takes its status from its rule, for every rule of both handshake tables', () => {
  for (const [id, { status }] of [...Object.entries(HANDSHAKE_RULES), ...Object.entries(CLIENT_HANDSHAKE_RULES)]) {
    const e = new HandshakeError(id, 'why');
    assert.ok(e instanceof Error);
    assert.is(e.name, 'HandshakeError');
    assert.is(e.rule, id);
    assert.is(e.status, status);
  }
});

test('an unknown rule is a TypeError, an inherited name or a rule of the other table included', () => {
  for (const rule of ['no-such-rule', 'toString', '__proto__', 'constructor', 1002, undefined, 'head-too-large']) {
    assert.throws(() => new ProtocolError(rule, 'x'), (e) => e instanceof TypeError && !(e instanceof ProtocolError), String(rule));
  }
  for (const rule of ['accept-mismatch', 'status-not-101']) assert.throws(() => new ProtocolError(rule, 'x'), (e) => e instanceof TypeError, rule);
  for (const rule of ['no-such-rule', 'hasOwnProperty', 400, 0, null, 'invalid-utf8', 'toString']) {
    assert.throws(() => new HandshakeError(rule, 'x'), (e) => e instanceof TypeError, String(rule));
  }
});

test.run();
