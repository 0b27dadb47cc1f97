// A loopback static file server for the browser runs: serves one folder's
// files (no listing, no paths outside it). Module scripts need a real
// http:// origin with a JavaScript MIME type, not file://.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

/** @returns {Promise<{ url: string, close: () => Promise<void> }>} */
export async function serveStatic(dir) {
  const server = createServer(async (req, res) => {
    // Chromium asks for /favicon.ico on its own; a 404 would show as a console error.
    if (req.url === '/favicon.ico') return res.writeHead(204).end();
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    try {
      if (path.includes('..')) throw new Error('Path outside the folder');
      const body = await readFile(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
