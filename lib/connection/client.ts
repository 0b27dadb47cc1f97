// Browser compatible. The client's sans-IO connection (RFC 6455 §4.1): the
// upgrade request is its first output; it reads the server's response head,
// verifies it, and opens, or fails with the check that broke.
import { HandshakeError } from '../errors.ts';
import { ENCODER } from '../primitives/_bytes.ts';
import { readOptions } from '../primitives/_options.ts';
import { buildUpgradeRequest, parseUpgradeResponse, verifyUpgradeResponse, type RequestHeaders, type UpgradeResponse, type UrlLike } from '../handshake/client.ts';
import type { ExtensionOffer } from '../handshake/extensions.ts';
import { Connection } from './base.ts';
import { CONNECTION_KEYS, checkSession, formatExtension } from './_extensions.ts';
import type { ConnectionOptions } from './types.ts';
import type { ExtensionSession } from './extension.ts';

/** Options for `ClientConnection`: those of every connection and those of `buildUpgradeRequest`. */
export interface ClientConnectionOptions extends ConnectionOptions {
  /** Subprotocols to offer, most preferred first. */
  protocols?: string | readonly string[];
  /** More request headers, such as `Cookie` or `Authorization`. */
  headers?: RequestHeaders;
  /** The `Origin` to send. */
  origin?: string;
  /** A `Sec-WebSocket-Key` of your own (base64 of 16 bytes); by default a fresh random one. */
  key?: string;
}

const WHERE = 'Cannot create client connection';
const KEYS = [...CONNECTION_KEYS, 'protocols', 'headers', 'origin', 'key'];
/** What the offer fields hold once the response is in: they are let go (issue 14). */
const NO_OFFERS: ExtensionOffer[] = /* @__PURE__ */ Object.freeze([]) as unknown as ExtensionOffer[];

/**
 * The client's side of one WebSocket connection, sans-IO. Its first output
 * is the upgrade request; write it, feed the response and frames to
 * `receive`, and handle the events. A wrong response (any check of
 * `verifyUpgradeResponse`) ends the connection with a `close` event (1006)
 * whose `error` is the `HandshakeError`. Every frame it sends is masked with
 * a fresh key (RFC 6455 §5.3); a masked frame from the server fails it with
 * 1002.
 *
 * @example A client over any socket
 * ```ts
 * const connection = new ClientConnection('ws://127.0.0.1:8080/', { protocols: ['chat'] });
 * const flush = () => { for (const bytes of connection.takeOutput()) socket.write(bytes); };
 * flush(); // the request
 * socket.on('data', (chunk) => {
 *   connection.receive(chunk);
 *   for (const event of connection.takeEvents()) if (event.type === 'open') connection.send('hello');
 *   flush();
 * });
 * ```
 */
export class ClientConnection extends Connection {
  private _head: Uint8Array | null = new Uint8Array(0);
  // What the response is checked against; let go once it arrived (an idle connection holds none of it).
  private _key: string;
  private _protocols: string | readonly string[] | undefined;
  private _offers: ExtensionOffer[];
  private _response: UpgradeResponse | null = null;

  /**
   * @param url A `ws:` or `wss:` URL (`http:` and `https:` are taken as `ws:` and `wss:`), as `buildUpgradeRequest` takes it.
   * @param options `protocols`, `headers`, `origin`, `key` (as for `buildUpgradeRequest`), and `maxMessageSize`, `maxFragments`, `unmaskInPlace`, `autoPong`, `extensions` (see `ConnectionOptions`).
   * @throws {TypeError} When the URL or an option is wrong or unknown (the message names the nearest known one).
   * @throws {RangeError} When a limit is not a non-negative integer or `Infinity`.
   */
  constructor(url: string | UrlLike, options?: ClientConnectionOptions) {
    const o = readOptions(options, KEYS, WHERE);
    super(true, o, WHERE);
    if (this._extensionList.length > 1) throw new TypeError(`${WHERE}: At most one extension can be offered`);
    this._offers = this._extensionList.flatMap((ext) => ext.offer().map((params) => ({ name: ext.name, params })));
    const { request, key } = buildUpgradeRequest(url, {
      protocols: o.protocols as ClientConnectionOptions['protocols'],
      extensions: this._offers,
      headers: o.headers as RequestHeaders | undefined,
      origin: o.origin as string | undefined,
      key: o.key as string | undefined,
    });
    this._key = key;
    this._protocols = o.protocols as ClientConnectionOptions['protocols'];
    this._queue(ENCODER.encode(request));
  }

  /** The server's response head, once it arrived whole; null before. */
  get response(): UpgradeResponse | null {
    return this._response;
  }

  /** @internal The response head, in any chunking; frames may follow it in the same chunk. */
  protected _handshake(bytes: Uint8Array): void {
    const had = (this._head as Uint8Array).length;
    const head = new Uint8Array(had + bytes.length);
    head.set(this._head as Uint8Array);
    head.set(bytes, had);
    this._head = head;
    let session: ExtensionSession | null = null, agreed = '', protocol = '';
    try {
      const response = parseUpgradeResponse(head);
      if (response === null) return;
      this._head = null;
      this._response = response;
      const check = { key: this._key, protocols: this._protocols, extensions: this._offers };
      this._key = '';
      this._protocols = undefined;
      this._offers = NO_OFFERS;
      const agreement = verifyUpgradeResponse(response, check);
      protocol = agreement.protocol ?? '';
      if (agreement.extensions.length > 1) throw new HandshakeError('response-malformed-extensions', `Cannot verify upgrade response: The server agreed to ${agreement.extensions.length} extensions; one was offered`);
      for (const { name, params } of agreement.extensions) {
        const ext = this._extensionList.find((e) => e.name === name);
        // verifyUpgradeResponse checked the name was offered.
        if (ext !== undefined) {
          session = checkSession(ext.accept(params), name, 'Cannot verify upgrade response');
          agreed = formatExtension(name, params, 'Cannot verify upgrade response');
        }
      }
    } catch (e) {
      // RFC 6455 §4.1: a response that fails a check fails the connection: the transport is closed, nothing sent.
      this._head = null;
      return this._closeNow(e);
    }
    const rest = head.subarray((this._response as UpgradeResponse).headLength);
    this._open(protocol, agreed, session);
    if (rest.length > 0) this._frames(rest);
  }
}
