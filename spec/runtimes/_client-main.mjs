// Portable command line for _ws-roundtrip.mjs, run by Deno and Bun:
//   deno run --allow-net=127.0.0.1 spec/runtimes/_client-main.mjs ws://127.0.0.1:PORT
//   bun spec/runtimes/_client-main.mjs ws://127.0.0.1:PORT
// Prints one `@@result` JSON line for spec/clients/*-client.mjs.
import { roundtrip } from './_ws-roundtrip.mjs';

const url = typeof Deno !== 'undefined' ? Deno.args[0] : Bun.argv[2];
console.log('@@result ' + JSON.stringify(await roundtrip(url)));
