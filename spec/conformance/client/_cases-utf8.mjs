// Section 6, the client-role counterpart of the server suite's
// (../_cases-utf8.mjs): UTF-8 in text messages (RFC 6455 §5.6, §8.1; RFC 3629),
// with Autobahn's sequences from Markus Kuhn's decoder stress test
// (../_utf8-groups.mjs). Valid text is echoed; invalid text fails the
// connection with 1007, fail-fast: each invalid case writes the bytes before
// the first invalid one, checks the client is still quiet, writes that byte,
// and requires the client's Close before the rest is written (Peer.failFast).
// Validity and the first invalid byte come from node's WHATWG TextDecoder.
// The cases are the server suite's (../_cases-utf8.mjs), built with this suite's frames.
import { frame } from './_peer.mjs';
import { utf8Cases } from '../_cases-utf8.mjs';

export default utf8Cases(frame);
