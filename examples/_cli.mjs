// The command line shared by the examples (the Node, Deno and Bun servers and
// clients): the same options, defaults and errors on every runtime. Imports
// nothing.

const OPTIONS = {
  '--port': 'port', '--host': 'host', '--max-message-size': 'maxMessageSize', '--max-fragments': 'maxFragments',
  '--handshake-timeout': 'handshakeTimeoutMs', '--heartbeat': 'heartbeatMs', '--close-timeout': 'closeTimeoutMs',
  '--protocols': 'protocols', '--url': 'url', '--agent': 'agent',
};
/** Options that take text rather than a number. */
const TEXT = new Set(['host', 'url', 'agent']);

/**
 * Reads `--name value` pairs. --host, --url and --agent take text,
 * --protocols a comma-separated list (`a,b`), the others a non-negative
 * integer. `limits` holds the Session options that were given, under the
 * Session's own names, so that unset ones keep the session's defaults.
 * @param {string[]} argv the arguments after the script's name
 * @returns {{ port: number, host: string, limits: Record<string, number>, protocols: string[] | undefined, url: string | undefined, agent: string | undefined }}
 * @throws {Error} for an unknown option, a missing or malformed value
 */
export function parseArgs(argv) {
  const out = { port: 8080, host: '127.0.0.1', limits: {}, protocols: undefined, url: undefined, agent: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const key = OPTIONS[argv[i]];
    const value = argv[i + 1];
    if (key === undefined) throw new Error(`Unknown option ${argv[i]} (known: ${Object.keys(OPTIONS).join(', ')})`);
    if (value === undefined) throw new Error(`Option ${argv[i]} needs a value`);
    if (TEXT.has(key)) { out[key] = value; continue; }
    if (key === 'protocols') { out.protocols = value.split(',').map((p) => p.trim()).filter((p) => p !== ''); continue; }
    if (!/^\d+$/.test(value)) throw new Error(`Option ${argv[i]} needs a non-negative integer, got ${JSON.stringify(value)}`);
    if (key === 'port') out.port = Number(value);
    else out.limits[key] = Number(value);
  }
  if (out.port > 65535) throw new Error(`Option --port must be at most 65535, got ${out.port}`);
  return out;
}

/**
 * The adapters' options (websocket-server/node, /web, /bun) from what
 * `parseArgs` read: the server's `protocols`, the limits, and the timers
 * (a --heartbeat of 0, or none, means no heartbeat).
 * @param {ReturnType<typeof parseArgs>} config
 * @returns {{ protocols?: string[], maxMessageSize?: number, maxFragments?: number, handshakeTimeout?: number, closeTimeout?: number, heartbeat?: { interval: number, timeout: number } }}
 */
export function adapterOptions({ protocols, limits }) {
  const o = { protocols, maxMessageSize: limits.maxMessageSize, maxFragments: limits.maxFragments };
  if (limits.handshakeTimeoutMs) o.handshakeTimeout = limits.handshakeTimeoutMs;
  if (limits.closeTimeoutMs) o.closeTimeout = limits.closeTimeoutMs;
  if (limits.heartbeatMs) o.heartbeat = { interval: limits.heartbeatMs, timeout: limits.heartbeatMs };
  return o;
}
