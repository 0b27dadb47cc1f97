// Generated code cannot drift from its generator (issue 13): the unrolled
// SHA-1 rounds (bench/sha1-gen.mjs) and the WebAssembly mask kernel's bytes
// (bench/wasm-mask.mjs) are what their generators write today, and the private
// mask loops agree with RFC 6455 §5.3's one-line loop on both paths
// (bench/mask-check.mjs, with and without WebAssembly). Each --check is also
// shown to fail on a copy whose generated block was touched by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs a script with node; resolves to { code, out } whatever the exit code. */
async function node(args, cwd = '.') {
  try {
    const { stdout, stderr } = await exec(process.execPath, args, { cwd, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.killed ? '\n(killed after 60 s)' : ''}` };
  }
}

const GENERATED = [
  ['bench/sha1-gen.mjs', 'lib/primitives/_sha1-compress.ts', 'h[0] = (h0 + a) | 0;'],
  ['bench/wasm-mask.mjs', 'lib/primitives/_mask-simd.ts', '0x00, 0x61, 0x73, 0x6d,'],
];

for (const [script, file, line] of GENERATED) {
  test(`${file} holds exactly what ${script} generates`, async () => {
    const { code, out } = await node([script, '--check']);
    assert.is(code, 0, out);
  });

  test(`${script} --check fails when ${file} was edited by hand`, async () => {
    // A copy of the generator and its output in the same relative places, so
    // the real files are never touched.
    const dir = `.tmp/generated-${process.pid}-${script.replace(/\W/g, '_')}`;
    rmSync(dir, { recursive: true, force: true });
    try {
      mkdirSync(join(dir, 'bench'), { recursive: true });
      mkdirSync(join(dir, 'lib/primitives'), { recursive: true });
      cpSync(script, join(dir, script));
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(line), `${file} no longer contains ${JSON.stringify(line)}: pick another line to touch`);
      writeFileSync(join(dir, file), text.replace(line, line.replace('0x', '0X').replace('| 0', '|0')));
      const { code, out } = await node([script, '--check'], dir);
      assert.is.not(code, 0, `--check passed on an edited copy:\n${out}`);
      assert.match(out, 'out of date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const args of [[], ['--pure']]) {
  test(`bench/mask-check.mjs ${args.join(' ') || '(WebAssembly SIMD kernel)'}: every length, offset and key position agrees with the plain loop`, async () => {
    const { code, out } = await node(['bench/mask-check.mjs', ...args]);
    assert.is(code, 0, out);
    assert.match(out, / 0 wrong/);
  });
}

test.run();
