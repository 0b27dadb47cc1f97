// The agents the client suite knows by name: each is a program that takes
// `--url ws://HOST:PORT --agent NAME` and drives the fuzzing server as an
// Autobahn|Testsuite client does (see _fuzzingserver.mjs). Adding one is one
// entry here (and, for `npm test`, one line in spec/_run.mjs).
//
// `allow` names the allowances an agent is graded with (RULES below), each
// with why. An allowance never turns a case off: the case runs, every other
// check holds, and it only excuses one named problem (a Rule in _peer.mjs) or
// swaps in the case's own documented alternative (its `allow` field). The
// runner prints how many cases each allowance was used in. Our own clients
// (node, deno) get none: they are graded strictly.
import { join } from 'node:path';
import { ROOT } from '../_server.mjs';

const node = process.execPath;
const deno = join(ROOT, 'node_modules/.bin/deno');
const bun = join(ROOT, 'node_modules/.bin/bun');

export const AGENTS = {
  // Our ClientConnection, once these examples exist.
  node: { file: 'examples/autobahn-client.mjs', cmd: (file) => [node, [file]] },
  deno: { file: 'examples/deno/autobahn-client.ts', cmd: (file) => [deno, ['run', '--allow-net', '--allow-read', file]] },
  bun: { file: 'examples/bun/autobahn-client.ts', cmd: (file) => [bun, [file]] },
  // Test only: the reference client the suite was validated with.
  // ws 8.23 passes every other case strictly (sections 0-10: handshake checks,
  // masking, pongs, RSV, opcodes, fragments, UTF-8 validity, close codes,
  // 16 MiB messages). Where it differs, legitimately, it gets these:
  ws: {
    file: 'spec/conformance/client/_ws-agent.mjs',
    cmd: (file) => [node, [file]],
    allow: {
      // receiver.js validates a text message with isValidUTF8 once the message
      // is whole (the Close then carries 1007, as it must): cases 6.3, 6.4 and
      // the invalid sequences of 6.5-6.23, whose bad byte is not the last.
      'late-utf8': 'ws checks UTF-8 per whole message',
      // websocket.js ends the socket (FIN) as soon as its Close is written and
      // the peer's was received: cases 7.2.1-7.2.3.
      'tcp-wait': 'ws half-closes right after the closing handshake',
      // receiver.js reads 16- and 64-bit lengths without checking that they are
      // minimal, and echoes the message: cases 1.3.1, 1.3.2.
      'lenient-length': 'ws accepts non-minimal length encodings',
      // receiver.js refuses a 64-bit length above 2^53 - 1 with 1009 ("payload
      // length > 2^53 - 1"), before any MSB check: case 1.3.3.
      'huge-length-1009': 'ws answers a length with its MSB set with 1009',
      // permessage-deflate.js reads a window value with Number() and takes the
      // first of several permessage-deflate answers: cases 13.4.4, 13.4.9.
      'lenient-deflate-answer': 'ws accepts a leading zero in a window value and two answers',
    },
  },
  // Test only: the suite's own strict raw client, which must pass with no allowance (mutants.mjs breaks it).
  // It speaks no permessage-deflate (`compression: false`): sections 12 and 13 are left out for it.
  raw: { file: 'spec/conformance/client/_raw-agent.mjs', cmd: (file) => [node, [file]], compression: false },
};

/** What an allowance may excuse (see Rule in _peer.mjs). */
export const RULES = {
  'late-utf8': 'invalid UTF-8 in a text message may be found once the frame or message is whole: not fail-fast. RFC 6455 §8.1 asks only that the connection fail; Autobahn grades late detection NON-STRICT. The case still requires Close 1007 and no echo',
  'tcp-wait': 'after the closing handshake the client may close TCP before the server does. RFC 6455 §7.1.1: the client SHOULD wait, but MAY close once it sent and received a Close',
  'lenient-length': 'a length in more bytes than needed is read as it is, the message echoed. RFC 6455 §5.2\'s "the minimal number of bytes MUST be used" binds the sender; no rule makes the receiver fail',
  'lenient-deflate-answer': 'a permessage-deflate answer with a window value in leading zeroes (server_max_window_bits=010) or answered twice is taken as its plain reading and the connection opens. RFC 7692 §7.1.2.1 forbids leading zeroes and §7.1 has the client fail such an answer; the connection then still runs as agreed',
  'huge-length-1009': 'a 64-bit length with its most significant bit set fails the connection with 1009 (message too big) rather than 1002. It is both; the connection still fails at once',
};
