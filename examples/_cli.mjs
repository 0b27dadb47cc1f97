// The command line shared by the Node, Deno and Bun echo servers: the same
// options, defaults and errors on every runtime. Imports nothing.

const OPTIONS = {
  '--port': 'port', '--host': 'host', '--max-message-size': 'maxMessageSize', '--max-fragments': 'maxFragments',
  '--handshake-timeout': 'handshakeTimeoutMs', '--heartbeat': 'heartbeatMs', '--close-timeout': 'closeTimeoutMs',
};

/**
 * Reads `--name value` pairs. Every option but --host takes a non-negative
 * integer; unset limits stay undefined, so the session's defaults apply.
 * @param {string[]} argv the arguments after the script's name
 * @returns {{ port: number, host: string, [limit: string]: number | string | undefined }}
 * @throws {Error} for an unknown option, a missing or malformed value
 */
export function parseArgs(argv) {
  const out = { port: 8080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = OPTIONS[argv[i]];
    const value = argv[i + 1];
    if (key === undefined) throw new Error(`Unknown option ${argv[i]} (known: ${Object.keys(OPTIONS).join(', ')})`);
    if (value === undefined) throw new Error(`Option ${argv[i]} needs a value`);
    if (key === 'host') { out.host = value; continue; }
    if (!/^\d+$/.test(value)) throw new Error(`Option ${argv[i]} needs a non-negative integer, got ${JSON.stringify(value)}`);
    out[key] = Number(value);
  }
  if (out.port > 65535) throw new Error(`Option --port must be at most 65535, got ${out.port}`);
  return out;
}
