// A child process for node.spec.mjs: a 16 KiB echo server on acceptSocket,
// alone in its process as a user's would be, so that the spec can read the
// minor page faults it takes per echo from /proc/PID/stat. Prints its port.
//   node spec/adapters/_node-faults.mjs
import { createServer } from 'node:net';
import { acceptSocket } from '../../dist/node.js';

function echo(e) {
  this.send(e.data);
}
const server = createServer((socket) => {
  const ws = acceptSocket(socket);
  ws.binaryType = 'uint8array';
  ws.onmessage = echo;
}).listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`)); // not console.log: a FORCE_COLOR from the parent would colour a number
