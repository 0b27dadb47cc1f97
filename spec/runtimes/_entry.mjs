// Copied next to the test bundle; Node, Deno and Bun run it as is. The runner
// reads the one `@@result` line (counts, failures, runtime name).
import { run } from './unit.mjs';

console.log('@@result ' + JSON.stringify(await run()));
