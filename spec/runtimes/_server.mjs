// Starts one of the example echo servers on a free loopback port and reads its
// `ws://HOST:PORT` line. The caller must stop() it (in a finally).
import { spawn } from 'node:child_process';
import { root } from './_bundle.mjs';
import { bin } from './_proc.mjs';

export const SERVERS = {
  // The echo examples on the adapters (websocket-server/node, /web, /bun).
  node: () => [process.execPath, ['examples/node/echo-server.mjs', '--port', '0']],
  deno: () => [bin('deno'), ['run', '--allow-net=127.0.0.1', 'examples/deno/echo-server.ts', '--port', '0']],
  bun: () => [bin('bun'), ['examples/bun/echo-server.ts', '--port', '0']],
};

/** @returns {Promise<{ url: string, stop: () => Promise<void> }>} */
export function startServer(kind, { timeout = 20_000 } = {}) {
  const [cmd, args] = SERVERS[kind]();
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((ok) => child.on('exit', ok));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`${kind} server printed no ws:// line in ${timeout} ms:\n${output}`)); }, timeout);
    const take = (d) => {
      output += d;
      const m = /ws:\/\/[^\s/]+/.exec(output);
      if (m) { clearTimeout(timer); resolve({ url: m[0], stop }); }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${kind} server exited (${code}):\n${output}`)); });
  });
}
