// The portal's front door for the Chromium phase: serves the example app's
// production build (built into the work directory, see phases-extra.sh) and
// passes /api and /.backstage, WebSocket upgrades included (signals), to the
// backend, so that app and API share one origin as with the app-backend.
//
//   node render-server.mjs DIST_DIR BACKEND_URL PORT
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const [dist, backendUrl, port] = process.argv.slice(2);
const backend = new URL(backendUrl);
const agent = new http.Agent({ keepAlive: true });
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const isApi = url => url.startsWith('/api/') || url.startsWith('/.backstage/');

const server = http.createServer((req, res) => {
  if (isApi(req.url)) {
    const upstream = http.request(
      {
        hostname: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: backend.host },
        agent,
      },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    upstream.on('error', e => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e.message));
    });
    res.on('close', () => res.writableFinished || upstream.destroy());
    req.pipe(upstream);
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = path.join(
    dist,
    path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''),
  );
  if (
    !file.startsWith(dist) ||
    !fs.existsSync(file) ||
    fs.statSync(file).isDirectory()
  ) {
    file = path.join(dist, 'index.html');
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': file.includes('/static/')
      ? 'public, max-age=31536000'
      : 'no-store',
  });
  fs.createReadStream(file).pipe(res);
});

// Signals: a WebSocket upgrade, passed through as bytes.
server.on('upgrade', (req, socket, head) => {
  const upstream = net.connect(Number(backend.port), backend.hostname, () => {
    const headers = Object.entries({ ...req.headers, host: backend.host })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
});

server.listen(Number(port), '127.0.0.1', () =>
  console.log(
    `render server: ${dist} on 127.0.0.1:${port}, API -> ${backend.origin}`,
  ),
);
process.once('SIGTERM', () => process.exit(0));
