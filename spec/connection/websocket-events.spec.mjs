// WebSocketLike's own listener store (lib/connection/websocket.ts) against
// the runtime's: the same scripted sequences of addEventListener,
// removeEventListener, on… assignments and dispatches run on a real
// `new EventTarget()` (its on… emulated by listeners, per HTML's "event
// handler" rules, since a plain EventTarget has none) and on a WebSocketLike,
// and the call logs must be equal. Then what no plain EventTarget can be
// compared on: the DOM's capture-first order at the target (Node's own
// EventTarget calls listeners in insertion order), the events the driver
// makes (target, currentTarget, eventPhase during and after; instanceof),
// the constants on the prototype, and the argument errors. Runs in every runtime.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ServerConnection, WebSocketLike, InvalidStateError } from '../../dist/connection.js';
import { createWebSocketPair } from '../../dist/testing.js';

const test = suite('WebSocketLike: its own listeners, as EventTarget');

/** Yields to the event loop once. */
const task = () => new Promise((r) => setTimeout(r, 0));

/** Waits until `fn()` is truthy (a guard against a hang, not a timing check). */
async function until(fn, what, tasks = 2000) {
  for (let i = 0; !fn(); i++) {
    if (i >= tasks) throw new Error(`Timed out waiting until ${what}`);
    await task();
  }
}

/** A WebSocketLike over a fresh server connection and a host that does nothing. */
function socket() {
  const host = { conn: new ServerConnection(), transport: { bufferedAmount: 0 }, ready: 0, flush() {}, drop() {} };
  return new WebSocketLike(host, '/x');
}

/** The reference: a real EventTarget, its on<type> properties emulated as HTML §8.1.8.1 says (a listener added on first set, whose callback reads the current handler). */
function referenceApi() {
  const t = new EventTarget();
  const handlers = {};
  return {
    target: t,
    add: (...a) => t.addEventListener(...a),
    remove: (...a) => t.removeEventListener(...a),
    dispatch: (e) => t.dispatchEvent(e),
    getOn: (type) => handlers[type]?.fn ?? null,
    setOn(type, f) {
      const fn = typeof f === 'function' ? f : null;
      const h = handlers[type];
      if (fn === null) {
        if (h) {
          t.removeEventListener(type, h.listener);
          delete handlers[type];
        }
      } else if (h) h.fn = fn;
      else {
        const entry = { fn, listener: (e) => { if (entry.fn.call(t, e) === false) e.preventDefault(); } };
        handlers[type] = entry;
        t.addEventListener(type, entry.listener);
      }
    },
  };
}

/** The same calls on a WebSocketLike (any type's on… through a property where it has one). */
function socketApi() {
  const ws = socket();
  return {
    target: ws,
    add: (...a) => ws.addEventListener(...a),
    remove: (...a) => ws.removeEventListener(...a),
    dispatch: (e) => ws.dispatchEvent(e),
    getOn: (type) => ws[`on${type}`],
    setOn: (type, f) => { ws[`on${type}`] = f; },
  };
}

/**
 * Runs `script` on `api` and returns its log: each listener call (name,
 * `this`, phase, currentTarget and target), each dispatch's result and the
 * event's state after it, and anything the script logs itself.
 */
function play(script, api) {
  const log = [];
  const mk = (name, then) => function listener(e) {
    // Not eventPhase or currentTarget: Node 20's own EventTarget gives 0 and null to every listener after the first (tested for ours below).
    // `this` only where the runtime's EventTarget passes its target (workerd passes undefined).
    log.push([name, NATIVE.self ? this === api.target : '-', e.target === api.target, e.defaultPrevented]);
    return then?.(e);
  };
  const d = (type, init) => {
    const e = new Event(type, init);
    const r = api.dispatch(e);
    // currentTarget after the dispatch only where the runtime's EventTarget clears it (workerd keeps it).
    log.push(['dispatched', type, r, e.eventPhase, NATIVE.clears ? e.currentTarget : '-', e.target === api.target]);
    return e;
  };
  script({ api, log, mk, d });
  return log;
}

/**
 * The DOM rules the runtime's own EventTarget keeps. Node 20's breaks three:
 * it calls a listener added during the dispatch (no clone of the list, DOM
 * §2.10 "invoke"), it lets a passive listener cancel, and it does not remove
 * a capture listener once its non-capture twin was removed. workerd's calls
 * a listener with `this` undefined, keeps `currentTarget` after the dispatch,
 * calls a listener removed and added again during it, cancels an event that
 * is not cancelable, and refuses capture listeners. Where one is broken, the
 * scripts that rely on it are checked against the names the DOM calls for
 * only (Deno, Bun and Chromium keep them all).
 */
const NATIVE = (() => {
  /** Whether `fn` returns true; false when the runtime refuses the call (workerd: "useCapture must be false"). */
  const keeps = (fn) => { try { return fn(); } catch { return false; } };
  return {
    clones: keeps(() => {
      const t = new EventTarget();
      let late = 0;
      t.addEventListener('x', () => t.addEventListener('x', () => late++));
      t.addEventListener('x', () => {});
      t.dispatchEvent(new Event('x'));
      return late === 0;
    }),
    passive: keeps(() => {
      const t = new EventTarget();
      t.addEventListener('p', (e) => e.preventDefault(), { passive: true });
      return t.dispatchEvent(new Event('p', { cancelable: true }));
    }),
    self: keeps(() => {
      const t = new EventTarget();
      let self;
      t.addEventListener('x', function () { self = this; });
      t.dispatchEvent(new Event('x'));
      return self === t;
    }),
    clears: keeps(() => {
      const t = new EventTarget();
      const e = new Event('x');
      t.dispatchEvent(e);
      return e.currentTarget === null;
    }),
    readds: keeps(() => {
      const t = new EventTarget();
      let called = 0;
      const q = () => called++;
      t.addEventListener('x', () => { t.removeEventListener('x', q); t.addEventListener('x', q); });
      t.addEventListener('x', q);
      t.dispatchEvent(new Event('x'));
      return called === 0;
    }),
    uncancelable: keeps(() => {
      const t = new EventTarget();
      t.addEventListener('x', (e) => e.preventDefault());
      return t.dispatchEvent(new Event('x'));
    }),
    capture: keeps(() => {
      const t = new EventTarget();
      let twin = 0;
      const f = () => twin++;
      t.addEventListener('c', f);
      t.addEventListener('c', f, true);
      t.removeEventListener('c', f);
      t.removeEventListener('c', f, true);
      t.dispatchEvent(new Event('c'));
      return twin === 0;
    }),
  };
})();

/** A log by the names called, each dispatch as '=' (or '=false' when canceled). */
const names = (log) => log.map((e) => (e[0] === 'dispatched' ? (e[2] ? '=' : '=false') : e[0]));

/**
 * Plays a script on both and compares the logs, where the runtime's
 * EventTarget keeps the rules in `needs`; checks the names the DOM calls for
 * (`dom`, worked out by hand from DOM §2.7-2.10) in every runtime. The log
 * must name some listener, so that a script that calls nothing on both sides
 * cannot pass unnoticed.
 */
function same(script, { needs = [], dom } = {}) {
  const actual = play(script, socketApi());
  if (dom !== undefined) assert.equal(names(actual), dom);
  if (needs.every((rule) => NATIVE[rule])) assert.equal(actual, play(script, referenceApi()));
  else assert.ok(dom !== undefined, 'a script the runtime cannot check has its DOM names');
  assert.ok(actual.some((entry) => entry[0] !== 'dispatched'), 'the script calls some listener');
}

test('order of adding, a duplicate ignored, handleEvent objects, null, removal', () => {
  same(({ api, log, mk, d }) => {
    const a = mk('a'), b = mk('b');
    const obj = { handleEvent(e) { log.push(['obj', this === obj, e.target === api.target]); } };
    api.add('x', a);
    api.add('x', b);
    api.add('x', a);
    api.add('x', obj);
    api.add('x', obj, {});
    api.add('x', null);
    api.add('y', a);
    d('x');
    d('y');
    api.remove('x', a);
    api.remove('x', mk('never added'));
    d('x');
    api.remove('x', obj);
    d('x');
    api.remove('x', b);
    d('x');
    api.add('x', b);
    d('x');
  });
});

test('capture is part of a listener\'s identity (added twice, removed by its own flag)', () => {
  same(({ api, mk, d }) => {
    const f = mk('f');
    api.add('c', f, true);
    api.add('c', f, { capture: true });
    d('c');
    api.remove('c', f);
    d('c');
    api.remove('c', f, { capture: true });
    d('c');
    api.add('b', f);
    api.add('b', f, true);
    d('b');
    api.remove('b', f, false);
    d('b');
    api.remove('b', f, true);
    d('b');
  }, { needs: ['capture'], dom: ['f', '=', 'f', '=', '=', 'f', 'f', '=', 'f', '=', '='] });
});

test('once: removed before it is called; one that adds itself again runs at the next dispatch', () => {
  same(({ api, mk, d }) => {
    api.add('x', mk('o'), { once: true });
    d('x');
    d('x');
    const r = mk('r', () => api.add('x', r, { once: true }));
    api.add('x', r, { once: true });
    api.add('x', mk('after'));
    d('x');
    d('x');
    const gone = mk('gone');
    api.add('y', gone, { once: true });
    api.remove('y', gone);
    d('y');
  }, { needs: ['clones'], dom: ['o', '=', '=', 'r', 'after', '=', 'after', 'r', '=', '='] });
});

test('signal: an aborted one adds nothing; aborting removes, also during a dispatch', () => {
  same(({ api, mk, d }) => {
    const aborted = new AbortController();
    aborted.abort();
    api.add('x', mk('never'), { signal: aborted.signal });
    const ac = new AbortController();
    const s = mk('s');
    api.add('x', s, { signal: ac.signal });
    d('x');
    ac.abort();
    d('x');
    api.add('x', s);
    d('x');
    const later = new AbortController();
    api.add('y', mk('aborts', () => later.abort()));
    api.add('y', mk('aborted'), { signal: later.signal });
    d('y');
    d('y');
  });
});

test('removal during a dispatch: a removed listener is not called, one removed and added again waits for the next', () => {
  same(({ api, mk, d }) => {
    const b = mk('b');
    const c = mk('c', () => api.remove('x', c));
    api.add('x', mk('a', () => api.remove('x', b)));
    api.add('x', c);
    api.add('x', b);
    d('x');
    d('x');
    const q = mk('q');
    api.add('y', mk('p', () => { api.remove('y', q); api.add('y', q); }));
    api.add('y', q);
    api.add('y', mk('r'));
    d('y');
    d('y');
  }, { needs: ['clones', 'readds'], dom: ['a', 'c', '=', 'a', '=', 'p', 'r', '=', 'p', 'r', '='] });
});

test('addition during a dispatch: not called in it, called in the next; a duplicate still ignored', () => {
  same(({ api, mk, d }) => {
    const n = mk('n');
    const b = mk('b');
    api.add('x', mk('a', () => { api.add('x', n); api.add('x', b); }));
    api.add('x', b);
    d('x');
    d('x');
  }, { needs: ['clones'], dom: ['a', 'b', '=', 'a', 'b', 'n', '='] });
});

test('nested dispatch from a listener, with removals in both', () => {
  same(({ api, mk, d }) => {
    let depth = 0;
    const z = mk('z');
    const outer = mk('outer', (e) => {
      if (depth++ === 0) {
        api.remove('x', z);
        d('x');
        api.add('x', mk('new'));
      }
      return e;
    });
    api.add('x', outer);
    api.add('x', mk('inner', () => api.remove('x', outer)));
    api.add('x', z);
    d('x');
    d('x');
  }, { needs: ['clones'], dom: ['outer', 'outer', 'inner', '=', 'inner', '=', 'inner', 'new', '='] });
});

test('stopImmediatePropagation stops the rest; stopPropagation does not at the target', () => {
  same(({ api, mk, d }) => {
    api.add('x', mk('a'));
    api.add('x', mk('b', (e) => e.stopImmediatePropagation()));
    api.add('x', mk('c'));
    d('x');
    d('x');
    api.add('y', mk('p', (e) => e.stopPropagation()));
    api.add('y', mk('q'));
    d('y');
  });
});

test('preventDefault: cancels a cancelable event, not in a passive listener; a handler returning false cancels, a listener returning false does not', () => {
  same(({ api, mk, d }) => {
    api.add('x', mk('passive', (e) => e.preventDefault()), { passive: true });
    d('x', { cancelable: true });
    api.add('x', mk('active', (e) => e.preventDefault()));
    d('x', { cancelable: true });
    d('x');
    api.add('y', mk('false listener', () => false));
    d('y', { cancelable: true });
    api.setOn('close', mk('false handler', () => false));
    d('close', { cancelable: true });
  }, { needs: ['passive', 'uncancelable'], dom: ['passive', '=', 'passive', 'active', '=false', 'passive', 'active', '=', 'false listener', '=', 'false handler', '=false'] });
});

test('on… handlers: placed when first set, kept in place when replaced (also during a dispatch), removed by null or a non-function', () => {
  same(({ api, log, mk, d }) => {
    const h1 = mk('h1'), h2 = mk('h2'), l1 = mk('l1'), l2 = mk('l2');
    api.add('message', l1);
    api.setOn('message', h1);
    api.add('message', l2);
    d('message');
    api.setOn('message', h2);
    d('message');
    log.push(['get', api.getOn('message') === h2]);
    api.setOn('message', null);
    d('message');
    log.push(['get', api.getOn('message')]);
    api.setOn('message', h1);
    d('message');
    api.setOn('message', 'not a function');
    log.push(['get', api.getOn('message')]);
    d('message');
    // The same function as a listener and as the handler: two entries; removeEventListener names the listener only.
    api.add('message', h1);
    api.setOn('message', h1);
    d('message');
    api.remove('message', h1);
    d('message');
    // Replaced by an earlier listener during a dispatch: the new one runs in the old one's place.
    api.add('open', mk('swap', () => api.setOn('open', h2)));
    api.setOn('open', h1);
    d('open');
    // Set to null and then to a function during a dispatch: a new entry, not called in it.
    api.add('error', mk('reset', () => { api.setOn('error', null); api.setOn('error', h1); }));
    api.setOn('error', h2);
    d('error');
    d('error');
  });
});

/**
 * Runs `fn` while catching what is reported as uncaught: our dispatcher's
 * reports through `reportError` or a microtask (both wrapped), and, where the
 * runtime has `process` (Node, Deno, Bun), its own EventTarget's through
 * `uncaughtException` (and Deno's `error` event). Returns the errors, each once.
 */
async function catchingReports(fn) {
  const seen = new Set();
  const g = globalThis;
  const { reportError, queueMicrotask } = g;
  const onUncaught = (e) => seen.add(e);
  const onError = (e) => { seen.add(e.error); e.preventDefault(); };
  if (typeof reportError === 'function') g.reportError = (e) => seen.add(e);
  g.queueMicrotask = (cb) => queueMicrotask.call(g, () => { try { cb(); } catch (e) { seen.add(e); } });
  g.process?.on?.('uncaughtException', onUncaught);
  g.addEventListener?.('error', onError);
  try {
    fn();
    await task();
    await task();
  } finally {
    g.reportError = reportError;
    g.queueMicrotask = queueMicrotask;
    g.process?.off?.('uncaughtException', onUncaught);
    g.removeEventListener?.('error', onError);
  }
  return [...seen];
}

test('a throwing listener does not stop the others and is reported once (as the runtime\'s own EventTarget does, where it can be caught)', async () => {
  const script = (errors) => ({ api, mk, d }) => {
    api.add('x', mk('a'));
    api.add('x', mk('throws', () => { const e = new Error('boom'); errors.push(e); throw e; }));
    api.add('x', mk('b'));
    d('x');
  };
  const ours = [];
  let actual;
  const reported = await catchingReports(() => { actual = play(script(ours), socketApi()); });
  assert.equal(actual.map((entry) => entry[0]), ['a', 'throws', 'b', 'dispatched']);
  assert.equal(reported, ours, 'the Error thrown, reported once');
  if (typeof globalThis.process?.on === 'function') {
    const theirs = [];
    let expected;
    const native = await catchingReports(() => { expected = play(script(theirs), referenceApi()); });
    assert.equal(actual, expected);
    assert.equal(native, theirs, 'the runtime reports the same');
  }
  // A handleEvent that is not callable: a TypeError, reported (WebIDL "call a user object's operation"; Deno's own EventTarget ignores it silently).
  const ws = socket();
  const calls = [];
  ws.addEventListener('x', { handleEvent: 'not a function' });
  ws.addEventListener('x', () => calls.push('after'));
  const typeErrors = await catchingReports(() => ws.dispatchEvent(new Event('x')));
  assert.equal(calls, ['after']);
  assert.is(typeErrors.length, 1);
  assert.ok(typeErrors[0] instanceof TypeError);
});

test('at the target, capture listeners run first (DOM §2.9), and stopPropagation() in one leaves out the others', () => {
  // Not compared with the runtime's: Node's EventTarget calls capture and non-capture listeners in the order they were added.
  const { api, log, mk, d } = (() => { const api = socketApi(); const log = []; return { api, log, mk: (n, then) => (e) => { log.push(n); then?.(e); }, d: (t) => api.dispatch(new Event(t)) }; })();
  api.add('x', mk('bubble 1'));
  api.add('x', mk('capture 1'), true);
  api.add('x', mk('bubble 2'));
  api.add('x', mk('capture 2'), { capture: true });
  d('x');
  assert.equal(log.splice(0), ['capture 1', 'capture 2', 'bubble 1', 'bubble 2']);
  api.add('y', mk('bubble'));
  api.add('y', mk('capture', (e) => e.stopPropagation()), true);
  d('y');
  assert.equal(log.splice(0), ['capture']);
  // One added by a capture listener for the bubbling pass runs in it (DOM §2.10 clones the list per pass).
  api.add('z', mk('capture', () => api.add('z', mk('added'))), true);
  d('z');
  assert.equal(log.splice(0), ['capture', 'added']);
});

test('an event already being dispatched cannot be dispatched again; an Event is required', () => {
  const ws = socket();
  let inner;
  ws.addEventListener('x', (e) => { try { ws.dispatchEvent(e); } catch (err) { inner = err; } });
  assert.ok(ws.dispatchEvent(new Event('x')));
  assert.ok(inner instanceof InvalidStateError, String(inner));
  assert.throws(() => ws.dispatchEvent({ type: 'x' }), (e) => e instanceof TypeError && /Expected an Event/.test(e.message));
  assert.throws(() => ws.addEventListener('x', 5), (e) => e instanceof TypeError && /Expected a function or an object, got/.test(e.message));
  assert.throws(() => ws.addEventListener('x', () => {}, { signal: {} }), (e) => e instanceof TypeError && /signal to be an AbortSignal/.test(e.message));
  // A frozen event cannot get the own properties a dispatch needs: the engine's TypeError.
  assert.throws(() => ws.dispatchEvent(Object.freeze(new Event('x'))), (e) => e instanceof TypeError);
});

test('an EventTarget by its prototype chain; the readyState constants on the class and the prototype, not on each socket', () => {
  const ws = socket();
  assert.ok(ws instanceof EventTarget);
  assert.ok(Object.getPrototypeOf(WebSocketLike.prototype) === EventTarget.prototype);
  for (const [name, value] of [['CONNECTING', 0], ['OPEN', 1], ['CLOSING', 2], ['CLOSED', 3]]) {
    assert.is(WebSocketLike[name], value, name);
    assert.is(ws[name], value, name);
    assert.not.ok(Object.prototype.hasOwnProperty.call(ws, name), `${name} is not an own property`);
    assert.ok(Object.prototype.hasOwnProperty.call(WebSocketLike.prototype, name), `${name} is on the prototype`);
    assert.is(Object.getOwnPropertyDescriptor(WebSocketLike, name)?.writable, false, `${name} is read-only`);
  }
});

test('the driver\'s events: target, currentTarget, eventPhase and composedPath during and after; instanceof as the runtime\'s own', async () => {
  const [client, server] = createWebSocketPair();
  const seen = [];
  const watch = (ws, side) => {
    for (const type of ['open', 'message', 'error', 'close']) {
      ws.addEventListener(type, function (e) {
        seen.push({ side, type, e, self: this === ws, during: [e.target === ws, e.currentTarget === ws, e.srcElement === ws, e.eventPhase, e.composedPath().length === 1 && e.composedPath()[0] === ws] });
      });
    }
  };
  watch(client, 'client');
  watch(server, 'server');
  await until(() => seen.filter((s) => s.type === 'open').length === 2, 'both sides open');
  client.send('hello');
  await until(() => seen.some((s) => s.type === 'message'), 'the message arrived');
  server.terminate();
  await until(() => seen.filter((s) => s.type === 'close').length === 2, 'both sides closed');
  assert.equal(seen.map((s) => `${s.side} ${s.type}`).sort(), ['client close', 'client error', 'client open', 'server close', 'server error', 'server message', 'server open']);
  for (const s of seen) {
    const ws = s.side === 'client' ? client : server;
    assert.ok(s.self, `${s.side} ${s.type}: this`);
    assert.equal(s.during, [true, true, true, 2, true], `${s.side} ${s.type} during`);
    assert.equal([s.e.target === ws, s.e.currentTarget, s.e.eventPhase, s.e.composedPath().length], [true, null, 0, 0], `${s.side} ${s.type} after`);
    assert.ok(s.e instanceof Event);
  }
  const message = seen.find((s) => s.type === 'message').e;
  assert.is(message.data, 'hello');
  if (typeof MessageEvent === 'function') assert.ok(message instanceof MessageEvent, 'a message event is a MessageEvent');
  const close = seen.find((s) => s.side === 'server' && s.type === 'close').e;
  assert.is(close.code, 1006);
  if (typeof CloseEvent === 'function') assert.ok(close instanceof CloseEvent, 'a close event is a CloseEvent');
  assert.ok(seen.find((s) => s.type === 'error').e.error instanceof Error);
});

test('an event of the runtime\'s, dispatched by the user: target and phase right during and after, and again when dispatched twice', () => {
  const ws = socket();
  const e = new Event('x');
  const during = [];
  ws.addEventListener('x', (ev) => during.push([ev === e, ev.target === ws, ev.currentTarget === ws, ev.eventPhase]));
  assert.ok(ws.dispatchEvent(e));
  assert.ok(ws.dispatchEvent(e));
  assert.equal(during, [[true, true, true, 2], [true, true, true, 2]]);
  assert.equal([e.target === ws, e.currentTarget, e.eventPhase], [true, null, 0]);
});

test.run();
