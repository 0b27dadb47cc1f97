// Runs the README's import examples (spec/runtimes/examples/) the way a user
// would: `npm pack` the package, unpack it into node_modules/websocket-server of
// a throwaway project, and run each example there in its own runtime. Checks
// each output against node:crypto's accept key (the worker's also against the
// text of the RFC 6455 section 5.7 frame it is sent), and that README.md shows
// each example's code verbatim.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './_bundle.mjs';
import { bin, runCommand, tagged } from './_proc.mjs';
import { serveStatic } from './_static.mjs';
import { resultOf, withPage } from './_browser.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), 'examples');
const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='; // RFC 6455 section 1.3
const ACCEPT = createHash('sha1').update(KEY + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');

/** Packs the repo (dist/ as npm test built it: no second build beside running stages) and installs the tarball's files into `project`. */
async function makeProject(project) {
  mkdirSync(join(project, 'node_modules/websocket-server'), { recursive: true });
  const pack = await runCommand('npm', ['pack', '--json', '--silent', '--ignore-scripts', '--pack-destination', project], { timeout: 60_000 });
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const [{ filename }] = JSON.parse(pack.stdout);
  const untar = await runCommand('tar', ['-xzf', join(project, filename), '-C', join(project, 'node_modules/websocket-server'), '--strip-components=1']);
  if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true, type: 'module', dependencies: { 'websocket-server': '*' } }));
  for (const f of ['node.mjs', 'deno.ts', 'bun.ts', 'worker.mjs', '_example-test.mjs', 'workerd.capnp']) copyFileSync(join(here, f), join(project, f));
  writeFileSync(join(project, 'index.html'), readFileSync(join(here, 'browser.html')));
}

const stdoutOf = async (cmd, args, cwd) => {
  const r = await runCommand(cmd, args, { cwd, timeout: 60_000 });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr.slice(-1000)}`);
  return r.stdout.trim();
};

/** [name, example file, expected output, run(project) -> output] */
const EXAMPLES = [
  ['node', 'node.mjs', `${ACCEPT} hello`, (p) => stdoutOf(process.execPath, ['node.mjs'], p)],
  // Deno resolves the bare name from the project's package.json and node_modules (no registry needed).
  ['deno', 'deno.ts', `${ACCEPT} hello`, (p) => stdoutOf(bin('deno'), ['run', '--no-prompt', '--cached-only', 'deno.ts'], p)],
  ['bun', 'bun.ts', `${ACCEPT} hello`, (p) => stdoutOf(bin('bun'), ['bun.ts'], p)],
  // The worker answers with the accept key and the text of the frame in the request body.
  ['workerd', 'worker.mjs', `${ACCEPT} Hello`, async (p) => {
    const r = await runCommand(bin('workerd'), ['test', 'workerd.capnp'], { cwd: p, timeout: 60_000 });
    return tagged(r.stdout + r.stderr, 'output') ?? `no output (exit ${r.code}): ${r.stderr.slice(-1000)}`;
  }],
  ['browser', 'browser.html', `${ACCEPT} hello`, async (p) => {
    const server = await serveStatic(p);
    try {
      return await withPage(server.url, (page, errors) => resultOf(page, errors, {
        what: 'browser example', timeout: 60_000, read: () => document.body?.textContent,
      }), { what: 'browser example' });
    } finally {
      await server.close();
    }
  }],
];

/**
 * @param {string} project an empty folder to build the throwaway project in
 * @param {(name: string) => boolean} wanted which runtimes to run
 * @returns {Promise<string[]>} one line per failure (empty when all passed)
 */
export async function runExamples(project, wanted, log) {
  log('examples: npm pack, then a project that installs the tarball');
  await makeProject(project);
  const readme = existsSync(join(root, 'README.md')) ? readFileSync(join(root, 'README.md'), 'utf8') : '';
  const failures = [];
  let passed = 0;
  for (const [name, file, expected, run] of EXAMPLES) {
    if (!wanted(name)) continue;
    log(`example ${file} in ${name}`);
    let output;
    try { output = await run(project); } catch (e) { output = `error: ${e.message}`; }
    if (output === expected) passed++;
    else failures.push(`example ${file} in ${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(output)}`);
    // The README must show what was run: the example's code, line for line.
    const code = readFileSync(join(here, file), 'utf8').trim();
    if (readme.includes(code)) passed++;
    else failures.push(`README.md does not show spec/runtimes/examples/${file} verbatim`);
  }
  log(`examples: ${passed} passed, ${failures.length} failed`);
  return failures;
}
