// One function per runtime: run the stage's test bundle there and return the
// harness result ({ runtime, files, passed, failed, skipped, failures }).
// The stage holds unit.mjs, dist/index.js and the glue files copied by run.mjs.
import { bin, runCommand, tagged } from './_proc.mjs';
import { serveStatic } from './_static.mjs';
import { resultOf, withPage } from './_browser.mjs';

/** Per runtime; the unit specs take about 30 s each on a busy 2-core machine. */
export const TIMEOUT = 180_000;

function fromOutput(name, { code, stdout, stderr }) {
  const json = tagged(stdout + stderr, 'result');
  if (json === undefined) throw new Error(`${name}: the unit bundle printed no result (exit ${code}):\n${(stdout + stderr).slice(-2000)}`);
  return JSON.parse(json);
}

export const RUNTIMES = {
  node: async (stage) => fromOutput('node', await runCommand(process.execPath, ['entry.mjs'], { cwd: stage, timeout: TIMEOUT })),
  // No permissions at all: the bundle only imports files.
  deno: async (stage) => fromOutput('deno', await runCommand(bin('deno'), ['run', '--no-prompt', '--no-config', 'entry.mjs'], { cwd: stage, timeout: TIMEOUT })),
  bun: async (stage) => fromOutput('bun', await runCommand(bin('bun'), ['entry.mjs'], { cwd: stage, timeout: TIMEOUT })),
  workerd: async (stage) => fromOutput('workerd', await runCommand(bin('workerd'), ['test', 'config.capnp'], { cwd: stage, timeout: TIMEOUT })),
  browser: async (stage) => {
    const server = await serveStatic(stage);
    try {
      return await withPage(server.url, (page, errors) => resultOf(page, errors, { what: 'browser: the unit bundle', timeout: TIMEOUT }), { what: 'browser' });
    } finally {
      await server.close();
    }
  },
};

/** Files copied from spec/runtimes/ into the stage for each runtime: [source, name in the stage]. */
export const GLUE = {
  node: [['_entry.mjs', 'entry.mjs']],
  deno: [['_entry.mjs', 'entry.mjs']],
  bun: [['_entry.mjs', 'entry.mjs']],
  workerd: [['workerd/worker.mjs', 'worker.mjs'], ['workerd/config.capnp', 'config.capnp']],
  browser: [['browser.html', 'index.html']],
};
