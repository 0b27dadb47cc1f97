// Starts and stops the echo servers the suites run against (the contract of
// issue 3/4: `--port 0`, then one line with ws://HOST:PORT on stdout).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * `http: false`: the server answers WebSocket upgrades only (no page, no 404): see upgradeOnly in _cases-handshake.mjs.
 * `compression: true`: it offers permessage-deflate (sections 12 and 13 run); the codec-only servers (examples/core/) do not.
 */
export const SERVERS = {
  node: { file: 'examples/core/echo-server.mjs', cmd: () => [process.execPath, ['examples/core/echo-server.mjs', '--port', '0']] },
  // The same suite against the Node adapter (websocket-server/node, dist/node.js) behind node:http.
  'node-adapter': { file: 'examples/node/echo-server.mjs', cmd: () => [process.execPath, ['examples/node/echo-server.mjs', '--port', '0']], compression: true },
  deno: { file: 'examples/core/deno-echo-server.ts', cmd: () => [join(ROOT, 'node_modules/.bin/deno'), ['run', '--allow-net', '--allow-read', 'examples/core/deno-echo-server.ts', '--port', '0']] },
  bun: { file: 'examples/core/bun-echo-server.ts', cmd: () => [join(ROOT, 'node_modules/.bin/bun'), ['examples/core/bun-echo-server.ts', '--port', '0']] },
  // The same suite against the Bun adapter (websocket-server/bun, dist/bun.js) on Bun.listen: raw TCP, upgrades only.
  'bun-adapter': { file: 'examples/bun/echo-server.ts', cmd: () => [join(ROOT, 'node_modules/.bin/bun'), ['examples/bun/echo-server.ts', '--port', '0']], http: false, compression: true },
  // The same suite against the web adapter (websocket-server/web, dist/web.js): on Deno.listen, and on node:net over Duplex.toWeb; raw TCP, upgrades only.
  'deno-adapter': { file: 'examples/deno/echo-server.ts', cmd: () => [join(ROOT, 'node_modules/.bin/deno'), ['run', '--allow-net=127.0.0.1', 'examples/deno/echo-server.ts', '--port', '0']], http: false, compression: true },
  'node-web': { file: 'spec/adapters/_web-echo-server.mjs', cmd: () => [process.execPath, ['spec/adapters/_web-echo-server.mjs', '--port', '0']], http: false, compression: true },
};
// Servers still running when this process ends (or is interrupted) are killed.
const running = new Set();
let installed = false;
function track(child) {
  if (!installed) {
    installed = true;
    process.once('exit', () => { for (const c of running) c.kill('SIGKILL'); });
    for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { for (const c of running) c.kill('SIGKILL'); process.exit(130); });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Starts a server; resolves { child, url, output() } once it printed its ws:// line. */
export function startServer(name, extraArgs = []) {
  // `name` may also be { label, file, cmd }: another server honouring the same contract.
  const spec = typeof name === 'object' ? name : SERVERS[name];
  if (spec === undefined) throw new Error(`Unknown server ${JSON.stringify(name)} (use ${Object.keys(SERVERS).join(', ')})`);
  if (typeof name === 'object') name = spec.label;
  if (!existsSync(join(ROOT, spec.file))) throw new Error(`Cannot run the ${name} server: ${spec.file} does not exist`);
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('Cannot run the suite: dist/index.js is missing (run `node build.mjs`)');
  const [cmd, args] = spec.cmd();
  args.push(...extraArgs);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let out = '';
  const output = () => out.trim().slice(-2000);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`The ${name} server printed no ws:// line within 20 s: ${output()}`)); }, 20000);
    const onData = (d) => {
      out = (out + d).slice(-20000);
      const m = /ws:\/\/[^\s]+/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({ child, url: m[0].replace(/[).,]+$/, ''), output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => { out = (out + d).slice(-20000); });
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`Cannot start the ${name} server: ${e.message}`)); });
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`The ${name} server exited (${signal ?? code}) before listening: ${output()}`)); });
  });
}

export function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

