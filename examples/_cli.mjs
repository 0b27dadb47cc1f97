// The command line shared by the Node, Deno and Bun echo servers: the same
// options, defaults and errors on every runtime. Imports nothing.

const OPTIONS = {
  '--port': 'port', '--host': 'host', '--max-message-size': 'maxMessageSize', '--max-fragments': 'maxFragments',
  '--handshake-timeout': 'handshakeTimeoutMs', '--heartbeat': 'heartbeatMs', '--close-timeout': 'closeTimeoutMs',
};

/**
 * Reads `--name value` pairs. Every option but --host takes a non-negative
 * integer. `limits` holds the Session options that were given, under the
 * Session's own names, so that unset ones keep the session's defaults.
 * @param {string[]} argv the arguments after the script's name
 * @returns {{ port: number, host: string, limits: Record<string, number> }}
 * @throws {Error} for an unknown option, a missing or malformed value
 */
export function parseArgs(argv) {
  const out = { port: 8080, host: '127.0.0.1', limits: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const key = OPTIONS[argv[i]];
    const value = argv[i + 1];
    if (key === undefined) throw new Error(`Unknown option ${argv[i]} (known: ${Object.keys(OPTIONS).join(', ')})`);
    if (value === undefined) throw new Error(`Option ${argv[i]} needs a value`);
    if (key === 'host') { out.host = value; continue; }
    if (!/^\d+$/.test(value)) throw new Error(`Option ${argv[i]} needs a non-negative integer, got ${JSON.stringify(value)}`);
    if (key === 'port') out.port = Number(value);
    else out.limits[key] = Number(value);
  }
  if (out.port > 65535) throw new Error(`Option --port must be at most 65535, got ${out.port}`);
  return out;
}
