import { spawn } from 'child_process';
import http from 'http';

/** Whether the request carries HTTP basic auth with `password` (any user). */
export function hasBasicAuthPassword(
  req: http.IncomingMessage,
  password: string | undefined,
): boolean {
  if (!password) return true;
  const header = req.headers.authorization ?? '';
  const match = /^Basic (.+)$/.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === password;
}

/** Splits a CGI header block into the HTTP status (default 200) and headers. */
function parseCgiHeaders(block: string) {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10);
    } else {
      headers[key] = value;
    }
  }
  return { status, headers };
}

/** Runs `git http-backend` as a CGI program for one request. */
export function serveWithHttpBackend(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  repositoriesDir: string,
) {
  const url = new URL(req.url ?? '/', 'http://demo-git');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: repositoriesDir,
      GIT_PROJECT_ROOT: repositoriesDir,
      GIT_HTTP_EXPORT_ALL: '1',
      // Lets http-backend accept pushes without its own authentication.
      REMOTE_USER: 'demo',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) }
        : {}),
      ...(req.headers['git-protocol']
        ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
        : {}),
    },
  });
  req.pipe(backend.stdin);
  let headerBuffer = Buffer.alloc(0);
  let headersDone = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    headerBuffer = Buffer.concat([headerBuffer, chunk]);
    const end = headerBuffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    const { status, headers } = parseCgiHeaders(
      headerBuffer.subarray(0, end).toString('utf8'),
    );
    res.writeHead(status, headers);
    res.write(headerBuffer.subarray(end + 4));
  });
  backend.stdout.on('end', () => {
    if (!headersDone) {
      res.writeHead(502);
    }
    res.end();
  });
  backend.on('error', error => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
}
