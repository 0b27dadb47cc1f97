// Bun's built-in WebSocket client against the Bun echo server
// (examples/bun/echo-server.ts, on websocket-server/bun): spec/runtimes/_ws-roundtrip.mjs's cases.
//   node spec/clients/bun-client.mjs   ->   bun-client: N passed, M failed
import { clientRun } from '../runtimes/_client-run.mjs';

await clientRun('bun-client', 'bun', (bin, url) => [bin('bun'), ['spec/runtimes/_client-main.mjs', url]]);
