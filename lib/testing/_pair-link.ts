// Browser compatible. The in-memory link under `createWebSocketPair`: two
// transports for the shared driver, joined by one queue of what each side
// wrote, delivered in write order, through the caller's tap, in a later task
// (or by `flush()` in manual mode).
import { asBytes, describe } from '../primitives/_bytes.ts';
import type { Driver, Transport } from '../adapters/_driver.ts';

/** pair.ts's `PairDirection` (its types stay there, public; this file imports nothing of it, as a cycle is refused). */
type PairDirection = 'client-to-server' | 'server-to-client';
/** pair.ts's `Tap`, by what the link does with it: what it returns is checked here. */
type Tap = (direction: PairDirection, bytes: Uint8Array) => unknown;

/** One thing in flight: bytes, the sender's end of stream (FIN), or a reset (the transport dropped). */
interface Item {
  readonly from: End;
  readonly to: End;
  readonly bytes: Uint8Array | null;
  /** For a reset: the error the receiving side fails with. */
  readonly error?: unknown;
  /** Bytes `inject` queued: not counted in the sender's `bufferedAmount`. */
  readonly injected?: boolean;
}

const END = null;

/**
 * Runs `f` in a later task: a task, not a microtask, like a socket's reads,
 * so that two peers echoing each other forever still let timers and I/O run
 * between deliveries. A message on a fresh MessageChannel where there is one,
 * closed once it arrives (an open port would keep Node's event loop alive):
 * browsers clamp nested timers to 4 ms, and 500 sequential round trips over
 * the pair took 4,250 ms in Chromium with `setTimeout(0)` (1,154 ms in Node)
 * against 22 ms with this (28 ms in Node). Else `setTimeout` (workerd without
 * MessageChannel: 16 ms, its timers are not clamped).
 */
function later(f: () => void): void {
  const Channel = (globalThis as { MessageChannel?: typeof MessageChannel }).MessageChannel;
  if (typeof Channel !== 'function') {
    setTimeout(f, 0);
    return;
  }
  const { port1, port2 } = new Channel();
  port1.onmessage = () => {
    port1.close();
    port2.close();
    f();
  };
  port2.postMessage(null);
}

/**
 * One side's transport. It holds no bytes itself: what it writes goes on the
 * link's queue, and `bufferedAmount` counts those not yet delivered.
 */
export class End implements Transport {
  driver: Driver | null = null;
  peer: End | null = null;
  /** The direction of what this side writes. */
  readonly direction: PairDirection;
  private readonly _link: Link;
  private _pending = 0;
  /** Destroyed, reset, or closed for good: reads and writes stop. */
  gone = false;
  /** `end()` was called: later writes are discarded. */
  private _ending = false;
  /** Our end of stream reached the peer. */
  wrote = false;
  /** The peer's end of stream reached us. */
  read = false;

  constructor(link: Link, direction: PairDirection) {
    this._link = link;
    this.direction = direction;
  }

  get bufferedAmount(): number {
    return this._pending;
  }

  /** @internal The link delivered (or discarded) `n` of our bytes; all of them when `n` is omitted. */
  _sent(n = this._pending): void {
    this._pending -= n;
  }

  /**
   * Queues one chunk: the chunks of one write joined into a copy, so that a
   * tap may change it in place and the receiver's views never alias the
   * sender's buffers (a real socket copies too). Always true: the link holds
   * any amount and never pushes back.
   */
  write(chunks: Uint8Array[]): boolean {
    if (this.gone || this._ending || this._link.cut) return true;
    let n = 0;
    for (const c of chunks) n += c.length;
    if (n === 0) return true;
    const joined = new Uint8Array(n);
    for (let i = 0, at = 0; i < chunks.length; at += chunks[i].length, i++) joined.set(chunks[i], at);
    this._pending += n;
    this._link.push({ from: this, to: this.peer as End, bytes: joined });
    return true;
  }

  end(): void {
    if (this.gone || this._ending || this._link.cut) return;
    this._ending = true;
    this._link.push({ from: this, to: this.peer as End, bytes: END });
  }

  /** Drops this side now: what it wrote still reaches the peer, then the peer's transport fails (a reset). */
  destroy(): void {
    if (this.gone) return;
    this.gone = true;
    this._link.forget(this);
    const peer = this.peer as End;
    if (!peer.gone && !this._link.cut) this._link.push({ from: this, to: peer, bytes: END, error: new Error('The peer dropped the connection') });
  }

  // The link never pushes back (`write` is always true), so the driver never pauses it.
  pause(): void {}
  resume(): void {}

  /** Both directions done: the driver is told the socket is closed for good. */
  settle(): void {
    if (this.gone || !this.wrote || !this.read) return;
    this.gone = true;
    (this.driver as Driver).closed();
  }
}

/** The queue between the two ends, and its delivery. */
export class Link {
  readonly client: End;
  readonly server: End;
  private readonly _tap: Tap | undefined;
  private readonly _manual: boolean;
  private _queue: Item[] = [];
  private _head = 0;
  private _scheduled = false;
  private _delivering = false;
  /** `drop()` was called: what either side writes from now on is lost. */
  cut = false;

  constructor(tap: Tap | undefined, manual: boolean) {
    this._tap = tap;
    this._manual = manual;
    this.client = new End(this, 'client-to-server');
    this.server = new End(this, 'server-to-client');
    this.client.peer = this.server;
    this.server.peer = this.client;
  }

  /** Items waiting to be delivered. */
  get pending(): number {
    return this._queue.length - this._head;
  }

  push(item: Item): void {
    this._queue.push(item);
    this._schedule();
  }

  /**
   * Queues `bytes` as if `from` had written them, after what it wrote before
   * (they pass through the tap too, and are not counted in its
   * `bufferedAmount`); nothing once the link was dropped or `from` is gone.
   */
  inject(from: End, bytes: Uint8Array): void {
    if (from.gone || this.cut || bytes.length === 0) return;
    this.push({ from, to: from.peer as End, bytes: new Uint8Array(bytes), injected: true });
  }

  /** Discards what is in flight to `end` (it reads no more); the sender's count goes down as if delivered. */
  forget(end: End): void {
    const kept: Item[] = [];
    for (let i = this._head; i < this._queue.length; i++) {
      const item = this._queue[i];
      if (item.to === end) {
        if (item.bytes !== null && item.injected !== true) item.from._sent(item.bytes.length);
      } else {
        kept.push(item);
      }
    }
    this._queue = kept;
    this._head = 0;
  }

  /**
   * Both transports fail now: what is in flight is lost, and each side, in
   * the next task (or at the next `flush()` in manual mode), ends with
   * `error` and `close` 1006.
   */
  drop(error: unknown): void {
    if (this.cut) return;
    this.cut = true;
    this._queue = [];
    this._head = 0;
    for (const end of [this.client, this.server]) {
      end._sent();
      if (!end.gone) this._queue.push({ from: end.peer as End, to: end, bytes: END, error });
    }
    this._schedule();
  }

  /** Delivers up to `limit` items, those written meanwhile included; returns how many. Nothing when called from inside a delivery. */
  flush(limit: number): number {
    if (this._delivering) return 0;
    let n = 0;
    while (n < limit && this.pending > 0) {
      this._deliverNext();
      n++;
    }
    return n;
  }

  private _schedule(): void {
    if (this._manual || this._scheduled || this.pending === 0) return;
    this._scheduled = true;
    later(() => {
      this._scheduled = false;
      // What was written before this task; what its deliveries write waits for the next.
      this.flush(this.pending);
      this._schedule();
    });
  }

  private _deliverNext(): void {
    const item = this._queue[this._head];
    (this._queue as (Item | undefined)[])[this._head] = undefined;
    this._head++;
    if (this._head === this._queue.length) {
      this._queue = [];
      this._head = 0;
    } else if (this._head >= 1024 && this._head * 2 >= this._queue.length) {
      // Two peers that answer every delivery never empty the queue: the delivered front goes, in one copy per as many deliveries.
      this._queue = this._queue.slice(this._head);
      this._head = 0;
    }
    this._delivering = true;
    try {
      this._deliver(item);
    } finally {
      this._delivering = false;
    }
  }

  private _deliver(item: Item): void {
    const { from, to } = item;
    const driver = to.driver as Driver;
    if (item.bytes === null) {
      if ('error' in item) {
        // A reset: the receiving side's transport fails (1006, with the error).
        if (!to.gone) driver.error(item.error);
        return;
      }
      from.wrote = true;
      to.read = true;
      if (!to.gone) driver.receiveEnd();
      to.settle();
      from.settle();
      return;
    }
    if (item.injected !== true) from._sent(item.bytes.length);
    if (!to.gone && !this.cut) {
      let chunks: Uint8Array[];
      try {
        chunks = this._tapped(from.direction, item.bytes);
      } catch (e) {
        // The tap is the caller's code: its failure drops the pair rather than escaping from a timer.
        this.drop(e);
        return;
      }
      for (const c of chunks) {
        // A handler (or the tap) may have dropped the pair, or this side, meanwhile.
        if (to.gone || this.cut) break;
        if (c.length > 0) driver.receive(c);
      }
    }
    if (from.bufferedAmount === 0 && !from.gone) (from.driver as Driver).drained();
  }

  /** The chunks the tap makes of `bytes` (itself when there is no tap or it returns undefined). */
  private _tapped(direction: PairDirection, bytes: Uint8Array): Uint8Array[] {
    if (this._tap === undefined) return [bytes];
    const out = this._tap(direction, bytes);
    if (out === undefined) return [bytes];
    if (out === null) return [];
    if (Array.isArray(out)) return out.map((c) => asBytes(c, 'Cannot deliver tapped chunk', '', 'each chunk the tap returns'));
    if (typeof out !== 'object') throw new TypeError(`Cannot deliver tapped chunk: Expected the tap to return bytes, an array of chunks, null or undefined, got ${describe(out)}`);
    return [asBytes(out, 'Cannot deliver tapped chunk', 'an array of chunks, null, undefined or ', 'what the tap returns')];
  }
}
