// The client conformance suite: RFC 6455 client behaviour after the
// Autobahn|Testsuite fuzzingserver cases (sections 1-7, 9, 10, in the client's
// role) plus the client's opening handshake (section 0), masking, and the TCP
// close left to the server. Our own fuzzing server (client/_fuzzingserver.mjs)
// speaks Autobahn's protocol, so any Autobahn client agent runs against it:
//
//   node spec/conformance/client-run.mjs --client ws|node|deno|raw [--filter 6.4[,7.1,…]] [--verbose] [--full]
//   node spec/conformance/client-run.mjs --client "deno run --allow-net my-agent.ts" [--agent NAME] [--allow RULE,…]
//
// A preset (client/_agents.mjs) or a command line (split on spaces) to which
// `--url ws://127.0.0.1:PORT --agent NAME` is appended. The agent GETs
// /getCaseCount, runs /runCase?case=N&agent=NAME for N = 1..count echoing
// every text and binary message until the close (and survives a refused
// handshake: section 0), then GETs /updateReports?agent=NAME, and exits 0.
// `--filter` shrinks the server's case list (and so the count). `--limit S`
// kills an agent still running after S seconds (default 180).
//
// Prints one line per failing case (or problem outside a case: the protocol,
// the agent's exit), one line per allowance that excused something, then
// `client conformance (NAME): N passed, M failed`, and exits 1 on any failure,
// a case not run, or an agent that did not finish the protocol. Grading is
// strict (see gradeCase in client/_fuzzingserver.mjs); client/mutants.mjs
// proves the suite fails broken clients.
import { runClientSuite } from './client/_suite.mjs';

function parseArgs(argv) {
  const o = { client: undefined, agent: undefined, filter: undefined, allow: [], verbose: false, limit: 180 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--client') o.client = argv[++i];
    else if (a === '--agent') o.agent = argv[++i];
    else if (a === '--filter') o.filter = argv[++i];
    else if (a === '--allow') o.allow = argv[++i].split(',');
    else if (a === '--limit') o.limit = Number(argv[++i]);
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--full') o.full = true; // read by ../_payloads.mjs: 1000 messages in every compression case
    else throw new Error(`Unknown argument ${a}`);
  }
  if (o.client === undefined) throw new Error('Usage: node spec/conformance/client-run.mjs --client ws|node|deno|raw|"COMMAND" [--agent NAME] [--filter ID,…] [--allow RULE,…] [--limit S] [--verbose] [--full]');
  return o;
}

try {
  const { failed } = await runClientSuite(parseArgs(process.argv.slice(2)));
  process.exitCode = failed === 0 ? 0 : 1;
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
