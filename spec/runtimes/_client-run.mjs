// Shared by spec/clients/deno-client.mjs and bun-client.mjs: start the
// runtime's echo server, run the runtime's own WebSocket client against it
// (_client-main.mjs) and the backpressure check (_backpressure.mjs), print `<name>: N passed, M failed`, set the exit code.
import { startServer } from './_server.mjs';
import { bin, runCommand, tagged } from './_proc.mjs';
import { STALL_LIMIT, stallsWhenPeerStopsReading } from './_backpressure.mjs';

export async function clientRun(name, server, command) {
  let result;
  let stop = async () => {};
  try {
    const started = await startServer(server);
    stop = started.stop;
    const [cmd, args] = command(bin, started.url);
    console.log(`${name}: ${server} echo server at ${started.url}; the client runs (limit 150 s)`);
    const out = await runCommand(cmd, args, { timeout: 150_000 });
    const json = tagged(out.stdout, 'result');
    result = json === undefined
      ? { passed: 0, failed: 1, failures: [`the client printed no result (exit ${out.code}):\n${out.stdout}${out.stderr}`] }
      : JSON.parse(json);
    // The server's side of the same runtime: backpressure by the runtime's own means.
    console.log(`${name}: backpressure against the ${server} echo server`);
    const stall = await stallsWhenPeerStopsReading(started.url);
    if (stall.ok) result.passed++;
    else { result.failed++; result.failures.push(`backpressure: a peer that never reads must stall within ${STALL_LIMIT} MiB, ${stall.detail}`); }
  } catch (e) {
    result = { passed: 0, failed: 1, failures: [e.message] };
  } finally {
    await stop();
  }
  console.log(`${name}: ${result.passed} passed, ${result.failed} failed`);
  for (const f of result.failures) console.log(`  FAIL ${f}`);
  process.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
}
