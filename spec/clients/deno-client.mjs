// Deno's built-in WebSocket client against the Deno echo server
// (examples/deno/echo-server.ts, on websocket-server/web): spec/runtimes/_ws-roundtrip.mjs's cases.
//   node spec/clients/deno-client.mjs   ->   deno-client: N passed, M failed
import { clientRun } from '../runtimes/_client-run.mjs';

await clientRun('deno-client', 'deno', (bin, url) => [bin('deno'), ['run', '--no-prompt', '--allow-net=127.0.0.1', 'spec/runtimes/_client-main.mjs', url]]);
