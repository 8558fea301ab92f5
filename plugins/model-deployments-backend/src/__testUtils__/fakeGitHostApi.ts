import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import http from 'http';
import { AddressInfo } from 'net';

/** One request the fake received, its JSON body parsed. */
export interface FakeGitHostRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** What a route answers: a status and a JSON body. */
export type FakeGitHostReply = { status: number; body: unknown };

/** The tokens the integrations send (checked by tests that look at headers). */
export interface FakeGitHostApiOptions {
  /** `github.com`'s token; `gh-token` by default. */
  githubToken?: string;
  /** `gitlab.acme.example`'s token; `gl-token` by default. */
  gitlabToken?: string;
}

/**
 * A loopback stand-in for the GitHub and GitLab REST APIs (pull and merge
 * requests), answering with their documented shapes and recording every
 * request: msw cannot load in this package's ESM-enabled Jest (its rettime
 * dependency is ESM-only). Git itself is never faked: tests that push or
 * fetch use a real Git server (DemoGitServer, see demoClusterAndGit.ts).
 *
 * `integrations` (from `start`) point `github.com` at `/github` and
 * `gitlab.acme.example` at `/gitlab/api/v4`. Routes are keyed by
 * `'METHOD /path'`, or by `'/path'` for any method; anything else is a 404.
 * Call `start` in beforeAll, `reset` in afterEach and `stop` in afterAll.
 */
export function fakeGitHostApi(options: FakeGitHostApiOptions = {}) {
  const routes = new Map<
    string,
    (request: FakeGitHostRequest) => FakeGitHostReply
  >();
  const received: FakeGitHostRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => {
      raw += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: FakeGitHostRequest = {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      received.push(request);
      const route =
        routes.get(`${request.method} ${url.pathname}`) ??
        routes.get(url.pathname);
      const reply = route?.(request) ?? {
        status: 404,
        body: { message: 'Not Found' },
      };
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });

  return {
    /** What to answer, by `'METHOD /path'` or `'/path'`. */
    routes,
    /** Every request since the last `reset`, in order. */
    received,
    /** The paths of `received`, in order. */
    paths: () => received.map(request => request.url.pathname),
    /** Listens on a free loopback port; resolves to integrations that use it. */
    async start(): Promise<ScmIntegrations> {
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: `${base}/github`,
                token: options.githubToken ?? 'gh-token',
              },
            ],
            gitlab: [
              {
                host: 'gitlab.acme.example',
                apiBaseUrl: `${base}/gitlab/api/v4`,
                token: options.gitlabToken ?? 'gl-token',
              },
            ],
          },
        }),
      );
    },
    /** Forgets the routes and the requests received. */
    reset() {
      routes.clear();
      received.length = 0;
    },
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
