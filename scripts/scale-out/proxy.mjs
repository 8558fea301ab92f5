// A round-robin HTTP load balancer on loopback, in front of the backend
// replicas of the scale-out test. Each request goes to the next replica in
// turn; the answer names the replica in an `x-scale-out-replica` header.
// A replica that refuses the connection (it is down, so it never saw the
// request) is skipped for 2 s and the request goes to the next one; any
// other failure is answered 502 and never retried, since the replica may
// have acted on it.
//
//   node proxy.mjs PORT_FILE NAME=URL [NAME=URL ...]
//
// Listens on a free port of 127.0.0.1 and writes it to PORT_FILE.
import fs from 'node:fs';
import http from 'node:http';

const [portFile, ...specs] = process.argv.slice(2);
if (!portFile || specs.length === 0) {
  console.error('usage: node proxy.mjs PORT_FILE NAME=URL [NAME=URL ...]');
  process.exit(2);
}
const upstreams = specs.map(spec => {
  const [name, url] = spec.split('=');
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1') {
    throw new Error(`upstream ${name} is not on loopback: ${url}`);
  }
  return {
    name,
    host: parsed.hostname,
    port: Number(parsed.port),
    downUntil: 0,
  };
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let next = 0;

function pick(tried) {
  const now = Date.now();
  for (let i = 0; i < upstreams.length; i++) {
    const upstream = upstreams[(next + i) % upstreams.length];
    if (!tried.has(upstream) && upstream.downUntil <= now) {
      next = (upstreams.indexOf(upstream) + 1) % upstreams.length;
      return upstream;
    }
  }
  return upstreams.find(u => !tried.has(u));
}

function log(line) {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

const server = http.createServer((req, res) => {
  // The body is buffered so a refused connection can be retried elsewhere.
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => forward(req, res, Buffer.concat(chunks), new Set()));
});

function forward(req, res, body, tried) {
  const upstream = pick(tried);
  if (!upstream) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('no replica reachable\n');
    log(`${req.method} ${req.url} -> none reachable 503`);
    return;
  }
  tried.add(upstream);
  const started = Date.now();
  const headers = { ...req.headers, host: `${upstream.host}:${upstream.port}` };
  headers['content-length'] = String(body.length);
  delete headers['transfer-encoding'];
  const upstreamReq = http.request(
    {
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    },
    upstreamRes => {
      res.writeHead(upstreamRes.statusCode ?? 502, {
        ...upstreamRes.headers,
        'x-scale-out-replica': upstream.name,
      });
      upstreamRes.pipe(res);
      upstreamRes.on('end', () =>
        log(
          `${req.method} ${req.url} -> ${upstream.name} ${
            upstreamRes.statusCode
          } ${Date.now() - started} ms`,
        ),
      );
      upstreamRes.on('error', () => res.destroy());
    },
  );
  upstreamReq.on('error', error => {
    if (error.code === 'ECONNREFUSED' && !res.headersSent) {
      upstream.downUntil = Date.now() + 2000;
      log(`${req.method} ${req.url} -> ${upstream.name} refused; next replica`);
      forward(req, res, body, tried);
      return;
    }
    log(`${req.method} ${req.url} -> ${upstream.name} failed: ${error.code}`);
    if (res.headersSent) {
      res.destroy();
    } else {
      res.writeHead(502, {
        'content-type': 'text/plain',
        'x-scale-out-replica': upstream.name,
      });
      res.end(`replica ${upstream.name} failed: ${error.code ?? error}\n`);
    }
  });
  upstreamReq.end(body);
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  fs.writeFileSync(portFile, String(port));
  log(
    `round robin on 127.0.0.1:${port} over ${upstreams
      .map(u => `${u.name}=${u.host}:${u.port}`)
      .join(', ')}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
