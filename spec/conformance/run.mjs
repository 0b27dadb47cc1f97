// The conformance suite: RFC 6455 server behaviour after the Autobahn|Testsuite
// fuzzing-client cases (sections 1-7, 9, 10) plus the handshake (section 0),
// run by our own raw TCP client against one of the echo servers.
//
//   node spec/conformance/run.mjs --server node|node-adapter|deno|bun [--filter 6.4[,7.1,…]] [--verbose] [--full]
//
// It starts the server on a free port, reads its ws:// line, runs every case
// (a few at a time), prints one line per failing case and a final
// `conformance (SERVER): N passed, M failed`, stops the server, and exits 1 on
// any failure. Grading is strict, as Autobahn's "OK": the exact messages and
// pongs in order, who started the close, the close code, and that the server
// closed TCP. The cases live in _cases-*.mjs, the client in _client.mjs, the
// grader in _suite.mjs; mutants.mjs proves the suite fails on broken servers.
import { runSuite } from './_suite.mjs';

function parseArgs(argv) {
  const o = { server: undefined, filter: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--server') o.server = argv[++i];
    else if (argv[i] === '--filter') o.filter = argv[++i];
    else if (argv[i] === '--verbose') o.verbose = true;
    else if (argv[i] === '--full') o.full = true; // read by _cases-compression.mjs: 1000 messages in every compression case
    else throw new Error(`Unknown argument ${argv[i]}`);
  }
  if (o.server === undefined) throw new Error('Usage: node spec/conformance/run.mjs --server node|node-adapter|deno|bun [--filter ID] [--verbose]');
  return o;
}

try {
  const o = parseArgs(process.argv.slice(2));
  const { failed } = await runSuite(o.server, o);
  process.exitCode = failed === 0 ? 0 : 1;
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
