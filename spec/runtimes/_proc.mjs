// Child processes for the runtime runs: bounded in time, always reaped.
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { root } from './_bundle.mjs';
import { killTree } from '../_kill.mjs';

export const bin = (name) => join(root, 'node_modules/.bin', name);

/**
 * Runs a command to completion (killed after `timeout` ms).
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runCommand(cmd, args, { cwd = root, timeout = 120_000, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // The message names the command: it ends up in a stage's last lines.
    const timer = setTimeout(() => {
      const killed = killTree(child.pid);
      stderr += `\nTIMEOUT: \`${basename(cmd)} ${args.join(' ')}\` (in ${cwd}) killed after ${timeout / 1000} s with ${killed.length} process(es): ${killed.join(', ')}`;
    }, timeout);
    child.on('error', (e) => { stderr += `\n${e.message}`; });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }); });
  });
}

/** The JSON after the first `@@<tag> ` line, or the text after it for non-JSON tags. */
export function tagged(text, tag) {
  const line = text.split('\n').find((l) => l.startsWith(`@@${tag} `));
  return line === undefined ? undefined : line.slice(tag.length + 3);
}
