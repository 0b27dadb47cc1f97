// The received bytes of a conformance harness's connection, queued until a
// whole frame is there: shared by the server suite's client (_client.mjs)
// and the client suite's server side (client/_peer.mjs).

export class ByteQueue {
  constructor() {
    this.chunks = [];
    this.buffered = 0;
  }

  /** Queues a chunk read from the socket. */
  append(chunk) {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** At least the first `n` queued bytes in one Buffer (joined when they span chunks). */
  peek(n) {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  /** Removes and returns the first `n` queued bytes. */
  take(n) {
    if (n === 0) return Buffer.alloc(0);
    const head = this.peek(n);
    const out = head.subarray(0, n);
    if (head.length === n) this.chunks.shift(); else this.chunks[0] = head.subarray(n);
    this.buffered -= n;
    return out;
  }
}
