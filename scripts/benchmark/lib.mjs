// What the benchmark's Node scripts share: timed HTTP to the backend (keep-
// alive, gzip as a browser asks for it), the delay proxies' counters,
// percentiles, sign-in, and the catalog wait.
import http from 'node:http';
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';

export const sleep = ms => new Promise(r => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Connections refused or reset before an answer, retried (see timed). */
export const connectionRetries = { count: 0, last: undefined };

/**
 * One request, timed from its start to the last byte of the answer.
 * Returns status, ms, wire bytes (as sent, compressed), json bytes (decoded)
 * and the parsed body. A connection refused or reset before any answer is
 * retried (up to 3 times, counted in connectionRetries): under load on this
 * loopback a connect is now and then refused although the server listens.
 */
export async function timed(method, url, options = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await timedOnce(method, url, options);
    } catch (error) {
      const code = error?.code;
      if (
        attempt >= 3 ||
        !['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code)
      )
        throw error;
      connectionRetries.count++;
      connectionRetries.last = `${new Date().toISOString()} ${method} ${url}: ${code}`;
      await sleep(20);
    }
  }
}

function timedOnce(method, url, { token, body, headers = {} } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          Accept: 'application/json',
          'Accept-Encoding': 'gzip',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload
            ? {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
          ...headers,
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const ms = performance.now() - t0;
          const wire = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          let raw = wire;
          if (encoding === 'gzip') raw = gunzipSync(wire);
          else if (encoding === 'br') raw = brotliDecompressSync(wire);
          else if (encoding === 'deflate') raw = inflateSync(wire);
          let json;
          try {
            json = JSON.parse(raw.toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode,
            ms,
            wireBytes: wire.length,
            jsonBytes: raw.length,
            json,
          });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(payload);
  });
}

/** Index of the p-th percentile (nearest rank). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples) {
  const ms = samples.map(s => s.ms).sort((a, b) => a - b);
  const mean = key =>
    samples.length
      ? samples.reduce((n, s) => n + s[key], 0) / samples.length
      : NaN;
  return {
    n: samples.length,
    failures: samples.filter(s => !s.ok).length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    mean: mean('ms'),
    wireBytes: mean('wireBytes'),
    jsonBytes: mean('jsonBytes'),
    clusterRequests: mean('clusterRequests'),
    clusterBytes: mean('clusterBytes'),
  };
}

/** The delay proxies in front of the clusters: counters and delay. */
export class Proxies {
  constructor(urls) {
    this.urls = urls;
  }
  async counts() {
    let requests = 0;
    let bytes = 0;
    const byClass = {};
    for (const url of this.urls) {
      const c = (await timed('GET', `${url}/__bench/counts`)).json;
      // /version probes are the cache's liveness check, not a page view's.
      requests += c.total - c.byClass.version;
      bytes += c.bytesOut;
      for (const [k, v] of Object.entries(c.byClass))
        byClass[k] = (byClass[k] ?? 0) + v;
    }
    return { requests, bytes, byClass };
  }
  async setDelay(ms) {
    for (const url of this.urls)
      await timed('POST', `${url}/__bench/delay?ms=${ms}`);
  }
}

/** A signed-in user's token: the guest provider, as scripts/scale-out does. */
export async function guestToken(backend) {
  const res = await timed('POST', `${backend}/api/auth/guest/refresh`);
  const token = res.json?.backstageIdentity?.token;
  if (!token) throw new Error(`guest sign-in: ${res.status}`);
  return token;
}

/** Waits until the catalog holds `count` models (components of spec.type model). */
export async function waitForCatalog(backend, token, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const started = performance.now();
  let seen = 0;
  while (Date.now() < deadline) {
    const res = await timed(
      'GET',
      `${backend}/api/catalog/entities/by-query?filter=kind=component,spec.type=model&limit=1`,
      { token },
    );
    seen = res.json?.totalItems ?? 0;
    if (seen >= count) return (performance.now() - started) / 1000;
    await sleep(1000);
  }
  throw new Error(
    `catalog: ${seen} of ${count} models after ${timeoutMs / 1000}s`,
  );
}

/** `i`-th of `n` names spread over the list (a stride coprime to its length). */
export function spread(names, i, offset = 0) {
  let stride = 7919;
  while (gcd(stride, names.length) !== 1) stride += 2;
  return names[(offset + i * stride) % names.length];
}
function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}
