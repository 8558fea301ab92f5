import http from 'http';
import https from 'https';

export interface KubeResponse {
  status: number;
  body: any;
  /** The `Warning` headers, e.g. about fields the schema dropped. */
  warnings: string[];
}

/** Where and as whom {@link sendOnce} sends. */
export interface KubeConnection {
  /** The API server's URL, without a trailing slash. */
  url: string;
  token: string;
  agent: http.Agent;
  timeoutMs: number;
}

export interface KubeRequestOptions {
  body?: unknown;
  contentType?: string;
}

/** `299 - "unknown field \"spec.x\""` → `unknown field "spec.x"`. */
function parseWarning(header: string) {
  const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(header);
  return match ? match[1].replace(/\\(.)/g, '$1') : header;
}

/** One HTTP request, JSON in and (when it parses) out; only network errors reject. */
export function sendOnce(
  connection: KubeConnection,
  method: string,
  path: string,
  options: KubeRequestOptions,
): Promise<KubeResponse & { retryAfter?: string }> {
  const url = new URL(`${connection.url}${path}`);
  const transport = url.protocol === 'https:' ? https : http;
  const payload =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method,
        agent: connection.agent,
        timeout: connection.timeoutMs,
        headers: {
          Authorization: `Bearer ${connection.token}`,
          Accept: 'application/json',
          ...(payload !== undefined
            ? {
                'Content-Type': options.contentType ?? 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Plain text, e.g. "404 page not found" for an unserved group.
          }
          const warning = res.headers.warning;
          resolve({
            status: res.statusCode ?? 0,
            body,
            retryAfter: res.headers['retry-after'],
            warnings: (Array.isArray(warning)
              ? warning
              : warning?.split(/,(?=\s*\d{3} )/) ?? []
            ).map(w => parseWarning(w.trim())),
          });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(
        new Error(`${method} ${url.href}: no answer within the timeout`),
      ),
    );
    req.on('error', error =>
      reject(
        new Error(
          `${method} ${url.href}: ${
            (error as Error).message
          } (is the API server running?)`,
        ),
      ),
    );
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
