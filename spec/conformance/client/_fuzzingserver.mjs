// The fuzzing server of the client conformance suite: node:net, its own HTTP
// request parsing and handshake response, and Autobahn|Testsuite's
// fuzzingserver protocol, as Autobahn's clients (tungstenite, aiohttp,
// python-websockets' compliance/ …) drive it:
//
//   GET /getCaseCount                  one text message, the number of cases (e.g. "412"), then a Close
//   GET /runCase?case=N&agent=NAME     case N (1-based): the client echoes every text and binary
//                                      message (same type, same bytes) until the close
//   GET /getCaseInfo?case=N            one text message: {"id", "description"} as JSON, then a Close
//   GET /getCaseStatus?case=N&agent=A  one text message: {"behavior": "OK" | "FAILED" | "UNKNOWN"}, then a Close
//   GET /updateReports?agent=NAME      a Close; the run's verdicts are final (the runner prints them)
//
// Every request is checked against RFC 6455 §4.1 (GET, HTTP/1.1, Host, Upgrade,
// Connection, a fresh 16-byte Sec-WebSocket-Key, version 13) and every frame
// the client sends against §5 (see _peer.mjs). A case (see _cases-*.mjs):
//   run(s)     what the server sends (s is a Peer); it may wait for the client's answers
//   expect     the events the client must send back, in order: its messages and pongs
//   fail       the code of the Close with which the client must fail the connection
//   echo       without `fail`: the code the client's Close must echo (null: an empty Close);
//              by default the code of the server's Close, `code` (1000)
//   tcpDelay   ms the server waits after the closing handshake before it closes TCP
//   handshake  section 0: { response(accept) → head, chop (write it in pieces), first (bytes in
//              the same write), reject (the client must refuse it), end (the server's FIN after it) }
//   timeout    ms for each step (default CASE_TIMEOUT)
// Without `fail`, once the expected events arrived the server sends Close(code)
// and the client must echo it. Grading is strict; see gradeCase.
import net from 'node:net';
import { acceptFor } from '../_client.mjs';
import { Peer, Rule, frame } from './_peer.mjs';
import { parseHeader, PeerDeflate } from '../_deflate.mjs';

export const CASE_TIMEOUT = 4000;
const HEAD_LIMIT = 16 * 1024;
/** After the server's FIN, the client has this long to close its side. */
const TCP_GRACE = 3000;

/** Reads one HTTP request head; resolves { method, target, version, headers: Map(name → values[]), rest } or an Error. */
function readRequest(socket, ms) {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (value) => {
      clearTimeout(timer);
      socket.pause();
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve(value);
    };
    const timer = setTimeout(() => done(new Error(`No request head within ${ms} ms`)), ms);
    const onEnd = () => done(new Error('The client closed TCP before its request head'));
    const onData = (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > HEAD_LIMIT) done(new Error(`A request head over ${HEAD_LIMIT} bytes`));
        return;
      }
      const [line, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^(\S+) (\S+) HTTP\/(\d\.\d)$/.exec(line);
      if (m === null) return done(new Error(`A malformed request line ${JSON.stringify(line.slice(0, 80))}`));
      const headers = new Map();
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i <= 0) return done(new Error(`A malformed header line ${JSON.stringify(l.slice(0, 80))}`));
        const name = l.slice(0, i).toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), l.slice(i + 1).trim()]);
      }
      done({ method: m[1], target: m[2], version: m[3], headers, rest: buf.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

const tokens = (values) => (values ?? []).flatMap((v) => v.split(',')).map((t) => t.trim().toLowerCase());

export class Fuzzer {
  /**
   * @param {object[]} cases the cases, in the order of their numbers 1..count
   * @param {{ agent: string, allow?: Set<string> }} options the agent name the
   *   client was given, and the allowances its preset declares (see _agents.mjs)
   */
  constructor(cases, { agent, allow = new Set() }) {
    this.cases = cases;
    this.agent = agent;
    this.allow = allow;
    this.results = new Map(); // case id -> { problems: string[], applied: allowances used, ms }
    this.protocol = []; // problems of the other requests: "getCaseCount: …"
    this.keys = new Set(); // every Sec-WebSocket-Key seen: each must be fresh
    this.pending = new Set(); // connections still being graded
    this.reportsUpdated = false;
    this.onResult = () => {};
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      const p = this.handle(socket).catch((e) => this.protocol.push(`internal error: ${e.stack ?? e}`)).finally(() => this.pending.delete(p));
      this.pending.add(p);
    });
  }

  /** Listens on 127.0.0.1 and a free port; resolves the ws:// URL. */
  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = this.server.address().port;
        resolve(`ws://127.0.0.1:${this.port}`);
      });
    });
  }

  /** Stops listening once every connection was graded (each has its own timeouts). */
  async stop() {
    this.server.close();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** RFC 6455 §4.1: the client's opening handshake; returns its problems. */
  checkRequest(req) {
    const problems = [];
    const h = req.headers;
    const one = (name) => {
      const v = h.get(name);
      if (v === undefined) problems.push(`The request has no ${name} header (RFC 6455 §4.1)`);
      else if (v.length > 1) problems.push(`The request has ${v.length} ${name} headers (RFC 6455 §4.1)`);
      return v?.[0];
    };
    if (req.method !== 'GET') problems.push(`The request method is ${req.method}, not GET (RFC 6455 §4.1 item 2)`);
    if (req.version !== '1.1') problems.push(`The request is HTTP/${req.version}, not HTTP/1.1 (RFC 6455 §4.1 item 2)`);
    const host = one('host');
    if (host !== undefined && host.toLowerCase() !== `127.0.0.1:${this.port}`) problems.push(`Host is ${JSON.stringify(host)}, expected 127.0.0.1:${this.port} (RFC 6455 §4.1 item 4)`);
    if (!tokens(h.get('upgrade')).includes('websocket')) problems.push(`Upgrade is ${JSON.stringify(h.get('upgrade')?.join(', '))}, not websocket (RFC 6455 §4.1 item 5)`);
    if (!tokens(h.get('connection')).includes('upgrade')) problems.push(`Connection is ${JSON.stringify(h.get('connection')?.join(', '))}, without Upgrade (RFC 6455 §4.1 item 6)`);
    const key = one('sec-websocket-key');
    if (key !== undefined) {
      const raw = Buffer.from(key, 'base64');
      if (raw.length !== 16 || raw.toString('base64') !== key) problems.push(`Sec-WebSocket-Key ${JSON.stringify(key)} is not 16 bytes in base64 (RFC 6455 §4.1 item 7)`);
      else if (this.keys.has(key)) problems.push(`Sec-WebSocket-Key ${key} was used before: it must be chosen at random for each connection (RFC 6455 §4.1 item 7)`);
      this.keys.add(key);
    }
    const version = one('sec-websocket-version');
    if (version !== undefined && version !== '13') problems.push(`Sec-WebSocket-Version is ${JSON.stringify(version)}, not 13 (RFC 6455 §4.1 item 9)`);
    if (req.rest.length > 0) problems.push(`The client sent ${req.rest.length} bytes after its request head before the server's response (RFC 6455 §4.1)`);
    return problems;
  }

  async handle(socket) {
    socket.on('error', () => {});
    const req = await readRequest(socket, 5000);
    if (req instanceof Error) {
      this.protocol.push(`a connection: ${req.message}`);
      socket.destroy();
      return;
    }
    const url = new URL(req.target, 'http://fuzzer');
    const query = (name) => url.searchParams.get(name);
    const problems = this.checkRequest(req);
    const key = req.headers.get('sec-websocket-key')?.[0] ?? '';
    const what = `${url.pathname}${url.search}`;
    const agentProblem = () => (query('agent') === this.agent ? [] : [`The agent parameter is ${JSON.stringify(query('agent'))}, expected ${JSON.stringify(this.agent)}`]);
    const caseAt = () => {
      const n = Number(query('case'));
      return Number.isInteger(n) && n >= 1 && n <= this.cases.length ? this.cases[n - 1] : null;
    };
    switch (url.pathname) {
      case '/getCaseCount':
        return this.service(socket, key, what, problems, String(this.cases.length));
      case '/getCaseInfo': {
        const k = caseAt();
        return this.service(socket, key, what, problems, k && JSON.stringify({ id: k.id, description: k.title }));
      }
      case '/getCaseStatus': {
        const k = caseAt();
        const r = k && this.results.get(k.id);
        return this.service(socket, key, what, problems, k && JSON.stringify({ behavior: r === undefined ? 'UNKNOWN' : r.problems.length === 0 ? 'OK' : 'FAILED' }));
      }
      case '/updateReports':
        this.reportsUpdated = true;
        return this.service(socket, key, what, [...problems, ...agentProblem()], undefined);
      case '/runCase': {
        const k = caseAt();
        if (k === null) return this.reject(socket, what, `no case ${JSON.stringify(query('case'))} (1..${this.cases.length})`);
        if (this.results.has(k.id)) problems.push(`Case ${k.id} ran more than once`);
        const t = Date.now();
        // An allowance of the agent may change what the case expects (its `allow` field).
        let kk = k;
        const applied = new Set();
        for (const [rule, patch] of Object.entries(k.allow ?? {})) {
          if (this.allow.has(rule)) { kk = { ...kk, ...patch }; applied.add(rule); }
        }
        const graded = await this.runCase(socket, key, kk, applied, req);
        const all = [...problems, ...agentProblem(), ...graded];
        for (const p of all) if (p instanceof Rule && this.allow.has(p.rule)) applied.add(p.rule);
        const result = { problems: all.filter((p) => !(p instanceof Rule && this.allow.has(p.rule))).map(String), applied: [...applied], ms: Date.now() - t };
        this.results.set(k.id, result);
        this.onResult(k, result);
        return;
      }
      default:
        return this.reject(socket, what, 'no such resource');
    }
  }

  reject(socket, what, why) {
    this.protocol.push(`${what}: ${why}`);
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  }

  /** getCaseCount and friends: an optional text message, then a Close; only the client's framing is graded. */
  async service(socket, key, what, problems, message) {
    if (message === null) return this.reject(socket, what, 'no such case');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`);
    const p = new Peer(socket);
    p.start(Buffer.alloc(0));
    if (message !== undefined) await p.send(frame(1, message));
    // The client may send a Close of its own meanwhile (aiohttp's client does): it counts as the answer.
    if (p.close === null) await p.sendClose(1000);
    if (!(await p.waitClose(CASE_TIMEOUT))) problems.push(p.clientEnded ? 'The client closed TCP without a Close frame' : `The client sent no Close within ${CASE_TIMEOUT} ms`);
    else if (!p.serverEnded) p.endTcp(0);
    await p.until(() => p.clientEnded, TCP_GRACE);
    problems.push(...p.violations, ...maskingProblems(p));
    if (!p.clientEnded) problems.push(`The client did not close TCP within ${TCP_GRACE} ms of the server's FIN`);
    p.destroy();
    for (const x of problems) this.protocol.push(`${what}: ${x}`);
  }

  /** Runs case `k` on a connection whose request head was read; resolves its problems (strings and Rules); `applied` collects the allowances used. */
  async runCase(socket, key, k, applied, req) {
    const T = k.timeout ?? CASE_TIMEOUT;
    const hs = k.handshake ?? {};
    // Sections 12 and 13: `deflate` is the permessage-deflate answer (parameters) to the client's offer.
    const agreed = k.deflate === undefined ? null : this.agree(k.deflate, req);
    if (typeof agreed === 'string') { socket.destroy(); return [agreed]; }
    const extra = agreed === null ? '' : `Sec-WebSocket-Extensions: ${agreed.header}\r\n`;
    const head = Buffer.from(hs.response ? hs.response(acceptFor(key)) : `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n${extra}\r\n`, 'latin1');
    const bytes = hs.first ? Buffer.concat([head, hs.first]) : head;
    const p = new Peer(socket, { allow: this.allow, applied });
    if (agreed !== null) p.deflate = new PeerDeflate(agreed, 'server');
    if (hs.reject) return this.rejectCase(p, hs, bytes, T);
    p.tcpDelay = k.tcpDelay ?? 0;
    p.start(Buffer.alloc(0)); // bytes after the head were counted against the request
    const problems = [];
    try {
      if (hs.chop) await p.sendChopped(bytes, hs.chop); else await p.send(bytes);
      await timed(Promise.resolve(k.run ? k.run(p) : undefined), T, `The case's steps did not finish within ${T} ms`);
      const code = k.code ?? 1000;
      if (k.fail === undefined) {
        // Every expected event, then the server's Close, which the client must echo.
        await p.waitEvents(k.expect.length, T);
        if (!p.sentClose && p.close === null && !p.clientEnded) await p.sendClose(code);
      }
      // The client's Close (or TCP close); with `fail`, an event past the expected ones ends the wait too.
      const decided = () => p.close !== null || p.clientEnded || (k.fail !== undefined && p.events.length > k.expect.length);
      await p.until(decided, T);
      if (p.close === null && !p.clientEnded) {
        // No Close from the client: the case failed. The server closes, so that the client moves on.
        if (!p.sentClose) await p.sendClose(1000);
        await p.waitClose(1000);
        p.endTcp(0);
        await p.until(() => p.clientEnded, 1000);
        if (p.close?.initiated === false) p.close.late = true;
      } else {
        // The client's FIN (or its reset) after the server's, which follows the closing handshake.
        if (p.close === null) p.endTcp(0);
        await p.until(() => p.clientEnded, p.tcpDelay + TCP_GRACE);
      }
    } catch (e) {
      problems.push(e.message);
    } finally {
      p.destroy();
    }
    return [...problems, ...gradeCase(k, p, T)];
  }

  /**
   * The answer `params` to the client's permessage-deflate offer (RFC 7692
   * §7.1) as an agreement for PeerDeflate, or a problem: the client offered
   * none, or nothing the answer may accept (a client_max_window_bits answer
   * needs the parameter in the offer, at most its value).
   */
  agree(params, req) {
    const offers = parseHeader(req.headers.get('sec-websocket-extensions')?.join(', ')).filter((e) => e?.name === 'permessage-deflate');
    if (offers.length === 0) return 'The client offered no permessage-deflate (RFC 7692: a compression case needs it)';
    const c = params.client_max_window_bits;
    const offer = offers.find((o) => c === undefined || o.params.client_max_window_bits === true || (o.params.client_max_window_bits !== undefined && Number(o.params.client_max_window_bits) >= Number(c)));
    if (offer === undefined) return `No offer of the client's allows the answer client_max_window_bits=${c}: ${req.headers.get('sec-websocket-extensions')}`;
    const offered = offer.params.client_max_window_bits;
    return {
      header: ['permessage-deflate', ...Object.entries(params).map(([n, v]) => (v === true ? n : `${n}=${v}`))].join('; '),
      serverNoContext: params.server_no_context_takeover === true,
      clientNoContext: params.client_no_context_takeover === true,
      serverBits: params.server_max_window_bits === undefined ? 15 : Number(params.server_max_window_bits),
      clientBits: c !== undefined ? Number(c) : offered !== undefined && offered !== true ? Number(offered) : 15,
    };
  }

  /** Section 0 cases whose response the client must refuse: it must close TCP and send nothing. */
  async rejectCase(p, hs, bytes, T) {
    let sent = 0;
    p.socket.on('data', (d) => { sent += d.length; p.wake(); });
    p.socket.resume();
    const problems = [];
    await p.send(bytes);
    if (hs.end) p.endTcp(0);
    await p.until(() => p.clientEnded || sent > 0, T);
    if (sent > 0) problems.push(`The client sent ${sent} bytes after a response it had to refuse (RFC 6455 §4.1: it MUST _Fail the WebSocket Connection_)`);
    else if (!p.clientEnded) problems.push(`The client did not close TCP within ${T} ms of a response it had to refuse (RFC 6455 §4.1)`);
    p.destroy();
    return problems;
  }
}

function timed(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what)), ms); })]).finally(() => clearTimeout(timer));
}

/** RFC 6455 §5.3: a fresh, unpredictable key for each frame; at least not all zero, and not one key for every frame. */
function maskingProblems(p) {
  const out = [];
  if (p.keys.length > 0 && p.keys.every((k) => k === 0)) out.push(`Every frame of the client was masked with the key 00000000 (RFC 6455 §5.3: an unpredictable key for each frame)`);
  else if (p.keys.length > 1 && p.keys.every((k) => k === p.keys[0])) out.push(`All ${p.keys.length} frames of the client were masked with the same key ${p.keys[0].toString(16).padStart(8, '0')} (RFC 6455 §5.3: a fresh key for each frame)`);
  return out;
}

function describe(ev) {
  if (ev === undefined) return 'nothing';
  const d = ev.data;
  const shown = d.length <= 24 ? (ev.type === 'text' ? JSON.stringify(d.toString()) : `<${d.toString('hex')}>`) : `${d.length} bytes`;
  return `${ev.type} ${shown}`;
}

const codeText = (c) => (c === null ? '(none)' : String(c));

/**
 * The verdict, strict as the server suite's: the exact messages and pongs in
 * order; the close code; who started the close; the client's FIN.
 * - A case with `fail`: the client must send Close(fail). It may close TCP at
 *   once after it (RFC 6455 §7.1.7: a failing endpoint processes nothing more,
 *   not even the answering Close) or wait for the server's FIN. A client that
 *   drops TCP without a Close fails: the connection was established, and
 *   §7.1.7's SHOULD is graded as a MUST, as Autobahn grades the code.
 * - Otherwise the client must answer the server's Close with one echoing its
 *   code (§5.5.1), and then wait for the server to close TCP first (§7.1.1:
 *   "the client SHOULD wait for the server to close the connection"), which
 *   only cases with a `tcpDelay` can see.
 * - Always: every frame masked with varying keys (§5.3), nothing after its
 *   Close (§5.5.1), and its side of TCP closed once the server closed.
 */
export function gradeCase(k, p, T) {
  const problems = [...p.violations, ...p.problems, ...maskingProblems(p)];
  const n = Math.max(k.expect.length, p.events.length);
  for (let i = 0; i < n; i++) {
    const want = k.expect[i], got = p.events[i];
    if (want !== undefined && got !== undefined && want.type === got.type && want.data.equals(got.data)) continue;
    problems.push(`Event ${i + 1} of ${k.expect.length}: expected ${describe(want)}, got ${describe(got)}${p.events.length !== k.expect.length ? ` (${p.events.length} events in all)` : ''}`);
    break;
  }
  const c = p.close;
  if (c === null) {
    problems.push(p.clientEnded ? `The client closed TCP without a Close frame${k.fail !== undefined ? ` (RFC 6455 §7.1.7: it fails an established connection with Close ${k.fail})` : ''}` : `The client sent no Close within ${T} ms`);
  } else if (c.late) {
    problems.push(k.fail !== undefined
      ? `The client did not fail the connection with Close ${k.fail}; it answered the Close the server sent to end the case with ${codeText(c.code)}`
      : `The client did not answer the server's Close within ${T} ms`);
  } else if (k.fail !== undefined) {
    if (c.code !== k.fail) problems.push(`Close code ${codeText(c.code)}, expected ${k.fail}`);
  } else {
    const echo = 'echo' in k ? k.echo : p.sentCloseCode;
    if (c.initiated) problems.push(`The client failed the connection with Close ${codeText(c.code)}; it should have echoed the server's Close`);
    else if (c.code !== echo) problems.push(`The client's answering Close has code ${codeText(c.code)}, expected ${codeText(echo)} (RFC 6455 §5.5.1: echo the code)`);
    else if (p.finBeforeServer) problems.push(new Rule('tcp-wait', 'The client closed TCP before the server did (RFC 6455 §7.1.1: the client SHOULD wait for the server to close TCP)'));
  }
  if (c !== null && !p.clientEnded) problems.push(`The client did not close TCP within ${TCP_GRACE} ms of the server's FIN`);
  return problems;
}
