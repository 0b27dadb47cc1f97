// workerd glue: `workerd test` calls the `test` handler of each worker. The
// result line goes to the log (the runner reads it); a failure also throws, so
// workerd itself reports the test as failed.
import { run } from './unit.mjs';

export default {
  async test() {
    const result = await run();
    console.log('@@result ' + JSON.stringify(result));
    if (result.failed || result.skipped || !result.passed) throw new Error(`${result.failed} failed, ${result.skipped} skipped`);
  },
};
