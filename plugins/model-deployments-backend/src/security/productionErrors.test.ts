import request from 'supertest';
import {
  FRAUD,
  IRIS,
  SecurityBackend,
  URL_PASSWORD,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import { secretScanResults } from '../testUtils';

/*
 * Security regression suite, part 4: a backend started with
 * NODE_ENV=production answers errors without stacks and without local
 * paths, whatever their status; and writes nothing on any of them.
 */

/** Any key named `stack`, at any depth. */
function hasStack(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(
    ([key, child]) => key === 'stack' || hasStack(child),
  );
}

/** Absolute paths of this machine, and the frames of a stack trace. */
const LOCAL_DETAIL =
  /\/(tmp|work|home|root|usr|var|opt|proc)\/|node_modules|\.ts:\d+|\n\s+at /;

describe('security: errors of a backend in production mode', () => {
  let s: SecurityBackend;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    process.env.NODE_ENV = 'production';
    try {
      s = await startSecurityBackend();
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
  });

  const rows: Array<
    [
      label: string,
      send: (b: SecurityBackend) => Promise<request.Response>,
      status: number,
      message: RegExp,
    ]
  > = [
    [
      'no credentials',
      b => request(b.backend.server).get('/api/model-deployments/fleet'),
      401,
      /^Missing credentials$/,
    ],
    [
      'a malformed entity ref',
      b => b.get('allow-all', '/deployments?entityRef=component:default/a%20b'),
      400,
      /^Invalid query: entityRef: /,
    ],
    [
      'a GitOps folder that leaves the repository',
      b =>
        b.post('allow-all', '/environments', {
          name: 'sec-prod',
          cluster: 'demo',
          stage: 15,
          gitops: { repoUrl: b.repos.models, path: '../../etc' },
        }),
      400,
      /^Invalid request body: gitops\.path: must stay inside the repository/,
    ],
    [
      'a repository URL with credentials',
      b =>
        b.post('allow-all', '/environments', {
          name: 'sec-prod',
          cluster: 'demo',
          stage: 15,
          gitops: {
            repoUrl: b.repos.models.replace('//', `//u:${URL_PASSWORD}@`),
          },
        }),
      400,
      /gitops\.repoUrl: must not contain credentials/,
    ],
    [
      'a history the caller may not read',
      b =>
        b.get('non-owner', `/history?entityRef=${IRIS}&environment=production`),
      403,
      /^You may not see the history of component:default\/iris-classifier in 'production'$/,
    ],
    [
      'a promotion the caller may not make',
      b =>
        b.post('non-owner', '/promotions', {
          entityRef: FRAUD,
          to: 'production',
          force: true,
        }),
      403,
      /^You may not promote component:default\/fraud-scorer into environment 'production'$/,
    ],
    [
      'an entity not in the catalog',
      b => b.get('allow-all', '/deployments?entityRef=component:default/nope'),
      404,
      /^No entity component:default\/nope in the catalog$/,
    ],
    [
      'a cluster not configured',
      b =>
        b.post('allow-all', '/environments', {
          name: 'sec-prod',
          cluster: 'nope',
          stage: 15,
        }),
      404,
      /^Cluster 'nope' is not configured/,
    ],
    [
      'a body in another format',
      b => b.postRaw('allow-all', '/refresh', 'text/plain', '{}'),
      415,
      /^Request body must be JSON/,
    ],
    [
      'a repository that does not exist',
      b =>
        b.post('allow-all', '/environments', {
          name: 'sec-prod',
          cluster: 'demo',
          stage: 15,
          gitops: { repoUrl: `${b.gitServer.url}/nope.git` },
        }),
      502,
      /^Cannot reach Git repository http:\/\/127\.0\.0\.1:\d+\/nope\.git: HTTP 404: no repository at this URL$/,
    ],
  ];

  it.each(rows)(
    '%s: no stack and no local path in the answer',
    async (_label, send, status, message) => {
      const before = await s.snapshot();
      const res = await send(s);
      expect({
        ...(await s.outcome(res)),
        name: res.body.error.name,
        anyStack: hasStack(res.body),
        anyLocalDetail: LOCAL_DETAIL.test(res.text),
        password: res.text.includes(URL_PASSWORD),
      }).toEqual({
        ...s.refusal({ status, message, before }),
        name: expect.any(String),
        anyStack: false,
        anyLocalDetail: false,
        password: false,
      });
    },
  );

  it('started in production mode and restored NODE_ENV', () => {
    expect(process.env.NODE_ENV).toBe(nodeEnv);
  });

  it('no response above carried the cluster token or a URL password', () => {
    expect(secretScanResults.scanned).toBeGreaterThan(rows.length);
    expect(secretScanResults.findings).toEqual([]);
  });
});
