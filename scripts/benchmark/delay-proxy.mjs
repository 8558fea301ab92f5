// A loopback HTTP proxy in front of one cluster: adds a round-trip delay
// (half on the way in, half on the way out, every response chunk included,
// so a watch's events arrive late too) and counts the requests it forwards.
//
//   node delay-proxy.mjs TARGET_URL PORT_FILE [--delay-ms 0]
//        [--strip-prefix /proxy] [--auth TOKEN]
//
// Control routes (never forwarded):
//   GET  /__bench/counts      { total, byClass, bytesOut, delayMs }
//   POST /__bench/delay?ms=N  sets the round-trip delay
//   POST /__bench/reset       zeroes the counts
// Classes: version (/version probes), watch, list (a collection), selector
// (a list with a labelSelector), get (one object), other.
// --strip-prefix and --auth let a ModelClusterClient that speaks to the
// Kubernetes plugin's /proxy reach the cluster directly (cache-memory.ts).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'delay-ms': { type: 'string', default: '0' },
    'strip-prefix': { type: 'string' },
    auth: { type: 'string' },
  },
});
const [targetUrl, portFile] = positionals;
const target = new URL(targetUrl);
const transport = target.protocol === 'https:' ? https : http;
const agent = new transport.Agent({ keepAlive: true, maxSockets: Infinity });
let delayMs = Number(values['delay-ms']);
const counts = () => ({
  total: 0,
  byClass: { version: 0, watch: 0, list: 0, selector: 0, get: 0, other: 0 },
  bytesOut: 0,
});
let stats = counts();

function classify(url) {
  if (url.pathname === '/version') return 'version';
  const watch = url.searchParams.get('watch');
  if (watch === 'true' || watch === '1') return 'watch';
  const parts = url.pathname.split('/').filter(Boolean);
  // /api/v1[/namespaces/ns]/plural[/name], /apis/g/v[/namespaces/ns]/plural[/name]
  let rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  if (rest.length === 1) {
    return url.searchParams.get('labelSelector') ? 'selector' : 'list';
  }
  return rest.length === 2 ? 'get' : 'other';
}

/** Runs `fn` half a round trip later; with no delay, now. */
const later = fn => (delayMs > 0 ? setTimeout(fn, delayMs / 2) : fn());

/**
 * `later` for the pieces of one response: each half a round trip after it
 * arrived, never before the piece ahead of it, even when the delay changes
 * while a response streams (a watch).
 */
function inOrder() {
  const queue = [];
  let timer;
  const run = () => {
    timer = undefined;
    while (queue.length && queue[0].at <= performance.now()) queue.shift().fn();
    if (queue.length) timer = setTimeout(run, queue[0].at - performance.now());
  };
  return fn => {
    const last = queue.length ? queue[queue.length - 1].at : 0;
    queue.push({ at: Math.max(performance.now() + delayMs / 2, last), fn });
    if (!timer) run();
  };
}

function control(req, res, url) {
  const send = body => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/__bench/counts') return send({ ...stats, delayMs });
  if (req.method === 'POST' && url.pathname === '/__bench/delay') {
    delayMs = Number(url.searchParams.get('ms') ?? 0);
    return send({ delayMs });
  }
  if (req.method === 'POST' && url.pathname === '/__bench/reset') {
    stats = counts();
    return send({ ok: true });
  }
  res.writeHead(404).end();
}

const server = http.createServer((req, res) => {
  let path = req.url ?? '/';
  const url = new URL(path, 'http://proxy');
  if (url.pathname.startsWith('/__bench/')) return control(req, res, url);
  const prefix = values['strip-prefix'];
  if (prefix && path.startsWith(prefix))
    path = path.slice(prefix.length) || '/';
  stats.total++;
  stats.byClass[classify(new URL(path, 'http://proxy'))]++;

  const body = [];
  req.on('data', chunk => body.push(chunk));
  req.on('end', () =>
    later(() => {
      const headers = { ...req.headers, host: target.host };
      if (values.auth) headers.authorization = `Bearer ${values.auth}`;
      const upstream = transport.request(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path,
          headers,
          agent,
          rejectUnauthorized: false,
        },
        upRes => {
          const send = inOrder();
          send(() => {
            if (res.destroyed) return;
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.flushHeaders();
          });
          upRes.on('data', chunk => {
            stats.bytesOut += chunk.length;
            send(() => res.destroyed || res.write(chunk));
          });
          upRes.on('end', () => send(() => res.end()));
          upRes.on('error', () => send(() => res.destroy()));
        },
      );
      upstream.on('error', error => {
        later(() => {
          if (res.headersSent) res.destroy();
          else res.writeHead(502).end(String(error.message));
        });
      });
      // The client went away (an aborted watch): so does the upstream request.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(Buffer.concat(body));
    }),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port));
  console.log(
    `delay proxy: 127.0.0.1:${server.address().port} -> ${
      target.origin
    }, ${delayMs} ms round trip`,
  );
});
const stop = () => {
  console.log(`delay proxy: ${JSON.stringify(stats)}`);
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
