// Browser compatible. WebSocketLike's own EventTarget (DOM §2.7-2.10, HTML
// §8.1.8.1): the listeners of a socket in one flat array, added, removed and
// called with the DOM's rules, without the runtime's EventTarget constructor
// (see EventTargetBase). Functions of a module rather than methods: their
// names minify (lib/connection.ts's bundle has a size budget).
import { describe } from '../primitives/_bytes.ts';
import { InvalidStateError } from './errors.ts';

/**
 * A constructor whose prototype is the runtime's `EventTarget.prototype` but
 * which never runs the runtime's `EventTarget` constructor: `WebSocketLike`
 * extends it, so `ws instanceof EventTarget` holds while it keeps its own
 * listeners. Node's constructor alone makes two `Map`s per object (440 B,
 * +100 B with one listener), which was 540 B of an idle connection's
 * 3.4 KiB on our Node echo server (issue 14). The class inherits the
 * runtime's statics too, as the browser's `WebSocket` does: Node's
 * `util.inspect` asks the constructor whether the object is an EventTarget.
 */
export const EventTargetBase: new () => object = /* @__PURE__ */ (() => {
  const ET = globalThis.EventTarget;
  function Base(): void {}
  Base.prototype = ET.prototype;
  Object.setPrototypeOf(Base, ET);
  return Base as unknown as new () => object;
})();

// A listener entry's flags (DOM §2.7 "event listener": capture, once, passive; HTML's event handler).
const CAPTURE = 1;
const ONCE = 2;
const PASSIVE = 4;
/** The entry of an `on…` property (HTML §8.1.8.1): its callback is replaced in place, and it is not a listener `removeEventListener` can name. */
const HANDLER = 8;

/** What the dispatcher keeps on an event (see lib/connection/_events.ts): target, phase, stop-immediate flag, in a passive listener. */
interface Dispatched extends Event {
  _t: unknown;
  _p: number;
  _s: boolean;
  _n?: boolean;
}

/**
 * Reports a listener's exception as the runtime reports an uncaught one
 * (DOM §2.10 "inner invoke", HTML "report an exception"): `reportError`
 * where it exists, else thrown from a microtask (Node 20 has no
 * `reportError`; its own EventTarget throws from `process.nextTick`, which
 * also ends as `uncaughtException`). Looked up at each call, so a test or an
 * app may wrap either.
 */
function report(error: unknown): void {
  const r = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof r === 'function') r(error);
  else queueMicrotask(() => { throw error; });
}

/**
 * Gives an event that is not one of ours (`ws.dispatchEvent(new Event('x'))`)
 * the fields and members the dispatcher relies on, as own properties, once:
 * the runtime's own slots cannot be set without its `dispatchEvent`. What
 * differs from the DOM: `srcElement` and `composedPath()` are the runtime's
 * (null, []); `target` stays ours if the event is later dispatched by another
 * EventTarget; a stop-propagation flag set before or during our dispatch is
 * not cleared after it (the runtime's `cancelBubble` cannot be unset). A
 * frozen event cannot be adopted: the engine's TypeError.
 */
function adopt(event: Event): Dispatched {
  const proto = Object.getPrototypeOf(event) as Event;
  const own = (value: unknown): PropertyDescriptor => ({ value, writable: true, configurable: true });
  const get = (f: (this: Dispatched) => unknown): PropertyDescriptor => ({ get: f, configurable: true });
  return Object.defineProperties(event, {
    _t: own(null),
    _p: own(0),
    _s: own(false),
    target: get(function () { return this._t; }),
    currentTarget: get(function () { return this._p ? this._t : null; }),
    eventPhase: get(function () { return this._p; }),
    stopImmediatePropagation: own(function (this: Dispatched) { this._s = true; proto.stopImmediatePropagation.call(this); }),
    // DOM §2.7 "passive": preventDefault() does nothing while a passive listener runs.
    preventDefault: own(function (this: Dispatched) { if (!this._n) proto.preventDefault.call(this); }),
  }) as Dispatched;
}

/** The capture flag of `addEventListener`'s or `removeEventListener`'s options (DOM §2.7 "flatten"). */
function captureOf(options: unknown): boolean {
  if (options === undefined || options === null) return false;
  if (typeof options === 'object' || typeof options === 'function') return Boolean((options as { capture?: unknown }).capture);
  return Boolean(options);
}

/** DOM §2.7 "add an event listener", for `WebSocketLike.addEventListener`. */
export function addListener(ws: Holder, type: string, listener: unknown, options: unknown): void {
  // DOM §2.7 "add an event listener", after WebIDL's conversions.
  const t = `${type}`;
  if (listener === null || listener === undefined) return;
  if (typeof listener !== 'function' && typeof listener !== 'object') throw new TypeError(`Cannot add event listener: Expected a function or an object, got ${describe(listener)}`);
  let flags = captureOf(options) ? CAPTURE : 0;
  let signal: { readonly aborted: boolean; addEventListener(type: string, f: () => void, o: { once: boolean }): void } | undefined;
  if (options !== null && (typeof options === 'object' || typeof options === 'function')) {
    const o = options as { once?: unknown; passive?: unknown; signal?: unknown };
    if (o.once) flags |= ONCE;
    if (o.passive) flags |= PASSIVE;
    if (o.signal !== undefined) {
      // Every runtime this runs in has AbortSignal (the lookup through globalThis keeps the typings free of it).
      if (!(o.signal instanceof (globalThis as unknown as { AbortSignal: new () => object }).AbortSignal)) throw new TypeError(`Cannot add event listener: Expected signal to be an AbortSignal, got ${describe(o.signal)}`);
      signal = o.signal as typeof signal & object;
      if (signal.aborted) return;
    }
  }
  const l = ws._l;
  // A literal of the exact size: a first push() would grow the array to 17 slots (224 B with one handler, measured; 80 B this way).
  if (l === null) ws._l = [0, t, listener, flags];
  else if (find(l, t, listener, flags & CAPTURE) >= 0) return;
  else l.push(t, listener, flags);
  // DOM: removed when the signal aborts. By identity, so a listener removed and added again before the abort is removed too.
  if (signal !== undefined) signal.addEventListener('abort', () => removeListener(ws, t, listener, (flags & CAPTURE) !== 0), { once: true });
}

/** DOM §2.7 "remove an event listener", for `WebSocketLike.removeEventListener`. */
export function removeListener(ws: Holder, type: string, listener: unknown, options: unknown): void {
  const l = ws._l;
  if (l === null || listener === null || listener === undefined) return;
  const i = find(l, `${type}`, listener, captureOf(options) ? CAPTURE : 0);
  if (i >= 0) remove(ws, l, i);
}

/** DOM §2.9 "dispatch" at a target with no parent, for `WebSocketLike.dispatchEvent`. */
export function dispatch(ws: Holder, event: Event): boolean {
  if (!(event instanceof Event)) throw new TypeError(`Cannot dispatch: Expected an Event, got ${describe(event)}`);
  let ev = event as Dispatched;
  if (ev._p === undefined) {
    ev = adopt(ev);
    // DOM §2.9: a stop-propagation flag set before the dispatch leaves every listener out.
    if (ev.cancelBubble) ev._s = true;
  } else {
    if (ev._p === 2) throw new InvalidStateError(`Cannot dispatch: The ${ev.type} event is being dispatched already`);
    ev._s = false;
  }
  ev._t = ws;
  ev._p = 2;
  const l = ws._l;
  if (l !== null && !ev._s) {
    l[0] = (l[0] as number) + 2;
    try {
      // DOM §2.9: at the target, the capturing pass (capture listeners), then the bubbling pass; stopPropagation() in the first ends the dispatch.
      const captured = invoke(ws, l, ev, CAPTURE);
      if (!ev._s && !(captured && ev.cancelBubble)) invoke(ws, l, ev, 0);
    } finally {
      const state = (l[0] as number) - 2;
      l[0] = state;
      if (state === 1) compact(ws, l);
    }
  }
  ev._p = 0;
  return !ev.defaultPrevented;
}

/** A WebSocketLike, as these functions see it (its listener array is private to the class). */
export interface Holder { _l: unknown[] | null }

/**
 * Calls the entries of `event`'s type whose capture flag is `capture`, in
 * order, up to the array's length now: an entry added during the dispatch
 * is not called (DOM §2.10 "invoke" clones the list), a removed one is
 * skipped (its callback is null). Returns whether an entry ran. Functions
 * of the module rather than private methods: their names minify (this file
 * has a size budget, spec/runtimes/size.mjs).
 */
function invoke(ws: Holder, l: unknown[], ev: Dispatched, capture: number): boolean {
  const type = ev.type;
  const n = l.length;
  let ran = false;
  for (let i = 1; i < n; i += 3) {
    const flags = l[i + 2] as number;
    const cb = l[i + 1] as ((this: unknown, e: Event) => unknown) | { handleEvent(e: Event): unknown } | null;
    if (l[i] !== type || (flags & CAPTURE) !== capture || cb === null) continue;
    ran = true;
    // DOM §2.10 "inner invoke": a once listener is removed before it is called.
    if (flags & ONCE) remove(ws, l, i);
    if (flags & PASSIVE) ev._n = true;
    try {
      // HTML §8.1.8.1 "event handler processing": a handler returning false cancels the event.
      if (typeof cb !== 'function') cb.handleEvent(ev);
      else if (cb.call(ws, ev) === false && flags & HANDLER) ev.preventDefault();
    } catch (error) {
      report(error);
    }
    if (flags & PASSIVE) ev._n = false;
    if (ev._s) break;
  }
  return ran;
}

/** Removes entry `i`: at once when no dispatch runs, else marked (callback null) for `compact`. */
function remove(ws: Holder, l: unknown[], i: number): void {
  const state = l[0] as number;
  if (state > 1) {
    l[i + 1] = null;
    l[0] = state | 1;
  } else {
    l.splice(i, 3);
    if (l.length < 2) ws._l = null;
  }
}

/** Drops the entries removed during the dispatch that just ended. */
function compact(ws: Holder, l: unknown[]): void {
  let j = 1;
  for (let i = 1; i < l.length; i += 3) {
    if (l[i + 1] !== null) {
      l[j++] = l[i];
      l[j++] = l[i + 1];
      l[j++] = l[i + 2];
    }
  }
  l.length = j;
  l[0] = 0;
  if (j < 2) ws._l = null;
}

/** The index of `type`'s `on…` entry in `l`, or -1. */
function handlerAt(l: unknown[] | null, type: string): number {
  if (l !== null) for (let i = 1; i < l.length; i += 3) if (l[i] === type && l[i + 2] === HANDLER && l[i + 1] !== null) return i;
  return -1;
}

/** An `on…` property's value. */
export function handlerOf(ws: Holder, type: string): unknown {
  const i = handlerAt(ws._l, type);
  return i < 0 ? null : ws._l![i + 1];
}

/**
 * Sets an `on…` property (HTML §8.1.8.1): a function takes the entry's
 * place, or is added as the last entry if there was none; anything else is
 * null and removes the entry (a later function is added last again).
 */
export function setHandler(ws: Holder, type: string, f: unknown): void {
  const l = ws._l;
  const i = handlerAt(l, type);
  if (typeof f === 'function') {
    if (i >= 0) l![i + 1] = f;
    else if (l === null) ws._l = [0, type, f, HANDLER];
    else l.push(type, f, HANDLER);
  } else if (i >= 0) remove(ws, l!, i);
}

/** The index of the listener entry (type, callback, capture) in `l`, or -1: DOM §2.7's identity. `on…` entries are not listeners. */
function find(l: unknown[], type: string, callback: unknown, capture: number): number {
  for (let i = 1; i < l.length; i += 3) {
    if (l[i] === type && l[i + 1] === callback && ((l[i + 2] as number) & (CAPTURE | HANDLER)) === capture) return i;
  }
  return -1;
}
