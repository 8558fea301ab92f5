import {
  SecurityBackend,
  URL_PASSWORD,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import { secretScanResults } from '../testUtils';

/*
 * Security regression suite, part 2: POST /environments refuses every
 * malformed or dangerous input, as allow-all (who may create
 * environments), on a dry run and for real, with a short message naming
 * the field, and writes nothing: no Git ref moves, no namespace or
 * RoleBinding is created, no promotion is recorded.
 */

/** The servers' addresses; the tables are built before they listen. */
interface Urls {
  git: string;
  gitHost: string;
  models: string;
  production: string;
  backendPort: number;
  cluster: string;
}

type Body = Record<string, unknown>;
type Row = [
  label: string,
  body: (u: Urls, name: string) => Body,
  status: number,
  message: RegExp,
];

const KB = 1024;
/** Larger than the 64 KB body limit. */
const HUGE = 'a'.repeat(90 * KB);
/** Inside the body limit, far beyond any field's. */
const LONG = 'a'.repeat(60_000);

/** A valid request for environment `name` whose GitOps folder is new; rows change one thing. */
const valid = (u: Urls, name: string, gitops: Body = {}): Body => ({
  name,
  cluster: 'demo',
  stage: 15,
  gitops: { repoUrl: u.models, branch: 'main', path: name, ...gitops },
});

const pathRows: Row[] = (
  [
    ['NUL', 'a\u0000b', /must not contain control characters/],
    ['newline', 'a\nb', /must not contain control characters/],
    ['.GIT/hooks', '.GIT/hooks', /must not reach Git's own data/],
    ['a/.git', 'a/.git', /must not reach Git's own data/],
    ['backslashes', 'a\\..\\b', /must use "\/" between folders/],
    ['../x', '../x', /must stay inside the repository/],
    ['a/./../../x', 'a/./../../x', /must stay inside the repository/],
    ['5,000 characters', 'x'.repeat(5000), /must be at most 200 characters/],
  ] as const
).map(([label, path, message]) => [
  `gitops.path ${label}`,
  (u, name) => valid(u, name, { path }),
  400,
  new RegExp(`gitops\\.path: ${message.source}`),
]);

const branchRows: Row[] = (
  [
    ['HEAD', /'HEAD' is not a branch name/],
    ['-x', /must not start with "-"/],
    ['main.lock', /"main\.lock" is not a valid branch name/],
    ['a//b', /"a\/\/b" is not a valid branch name/],
    ['a..b', /"a\.\.b" is not a valid branch name/],
    ['with space', /"with space" is not a valid branch name/],
    ['x@{1}', /"x@\{1\}" is not a valid branch name/],
  ] as const
).map(([branch, message]) => [
  `gitops.branch ${JSON.stringify(branch)}`,
  (u, name) => valid(u, name, { branch }),
  400,
  new RegExp(`gitops\\.branch: ${message.source}`),
]);

const notAllowed = (host: string) =>
  new RegExp(`gitops\\.repoUrl: host "${host}" is not allowed`);
const repoUrlRows: Row[] = [
  [
    'gitops.repoUrl at the backend itself',
    (u, name) =>
      valid(u, name, { repoUrl: `http://127.0.0.1:${u.backendPort}/api/app` }),
    400,
    notAllowed('127\\.0\\.0\\.1:\\d+'),
  ],
  [
    'gitops.repoUrl at the backend itself, spelled 0x7f.1',
    (u, name) =>
      valid(u, name, { repoUrl: `http://0x7f.1:${u.backendPort}/api/app` }),
    400,
    notAllowed('127\\.0\\.0\\.1:\\d+'),
  ],
  [
    'gitops.repoUrl at another loopback port (the cluster)',
    (u, name) => valid(u, name, { repoUrl: `${u.cluster}/models.git` }),
    400,
    notAllowed('127\\.0\\.0\\.1:\\d+'),
  ],
  [
    'gitops.repoUrl at the Git server as localhost',
    (u, name) =>
      valid(u, name, {
        repoUrl: u.models.replace('127.0.0.1', 'localhost'),
      }),
    400,
    notAllowed('localhost:\\d+'),
  ],
  [
    'gitops.repoUrl with credentials for the allowed host',
    (u, name) =>
      valid(u, name, {
        repoUrl: `http://user:${URL_PASSWORD}@${u.gitHost}/models.git`,
      }),
    400,
    /gitops\.repoUrl: must not contain credentials/,
  ],
  [
    'gitops.repoUrl file:///etc/passwd',
    (u, name) => valid(u, name, { repoUrl: 'file:///etc/passwd' }),
    400,
    /gitops\.repoUrl: only http\(s\) URLs/,
  ],
  [
    'gitops.repoUrl ftp://',
    (u, name) => valid(u, name, { repoUrl: `ftp://${u.gitHost}/models.git` }),
    400,
    /gitops\.repoUrl: only http\(s\) URLs/,
  ],
  [
    'gitops.repoUrl with a query',
    (u, name) => valid(u, name, { repoUrl: `${u.models}?ref=production` }),
    400,
    /gitops\.repoUrl: must not have a query or fragment/,
  ],
  [
    'gitops.repoUrl of 60,000 characters',
    (u, name) => valid(u, name, { repoUrl: `${u.models}/${LONG}` }),
    400,
    /gitops\.repoUrl: must be at most 2048 characters/,
  ],
  [
    'gitops.repoUrl of 90 KB (over the body limit)',
    (u, name) => valid(u, name, { repoUrl: `${u.models}/${HUGE}` }),
    413,
    /^Request body is larger than 64kb$/,
  ],
  [
    'gitops.repoUrl on the allowed host that is no repository',
    (u, name) => valid(u, name, { repoUrl: `${u.git}/nope.git` }),
    502,
    /^Cannot reach Git repository http:\/\/127\.0\.0\.1:\d+\/nope\.git: HTTP 404/,
  ],
];

const ownerGroupRows: Row[] = (
  [
    [
      'group:system:authenticated',
      /ownerGroups\.0: "system:authenticated" is not a valid entity name/,
    ],
    [
      'group:default/../x',
      /ownerGroups\.0: "\.\.\/x" is not a valid entity name/,
    ],
    ['system:masters', /ownerGroups\.0: "system:masters" is not a group ref/],
    [
      'user:default/priya',
      /ownerGroups\.0: "user:default\/priya" is not a group ref/,
    ],
    [
      'group:default/nobody',
      /ownerGroups\[0\]: "group:default\/nobody" is not a Group in the catalog/,
    ],
  ] as const
).map(([group, message]) => [
  `ownerGroups [${group}]`,
  (u, name) => ({ ...valid(u, name), ownerGroups: [group] }),
  400,
  message,
]);

const overlaps = (folder: string, env: string) =>
  new RegExp(
    `gitops\\.path: '${folder}' is the GitOps folder of environment '${env}'`,
  );
const overlapRows: Row[] = [
  [
    "dev's repository, branch and folder",
    (u, name) => valid(u, name, { path: 'dev' }),
    400,
    overlaps('dev', 'dev'),
  ],
  [
    "dev's folder, spelled models/ and ./dev/",
    (u, name) =>
      valid(u, name, { repoUrl: `${u.git}/models/`, path: './dev/' }),
    400,
    overlaps('dev', 'dev'),
  ],
  [
    "a folder inside staging's",
    (u, name) => valid(u, name, { path: 'staging/sub' }),
    400,
    overlaps('staging/sub', 'staging'),
  ],
  [
    "production's repository, branch and folder",
    (u, name) =>
      valid(u, name, { repoUrl: u.production, branch: 'main', path: 'models' }),
    400,
    overlaps('models', 'production'),
  ],
  [
    "production's folder, branch left out",
    (u, name) => ({
      ...valid(u, name),
      gitops: { repoUrl: u.production, path: 'models' },
    }),
    400,
    overlaps('models', 'production'),
  ],
  [
    "production's folder, named by the environment (no path)",
    u => ({
      name: 'models',
      cluster: 'demo',
      stage: 15,
      gitops: { repoUrl: u.production },
    }),
    400,
    overlaps('models', 'production'),
  ],
  [
    "a folder inside production's",
    (u, name) => valid(u, name, { repoUrl: u.production, path: 'models/sub' }),
    400,
    overlaps('models/sub', 'production'),
  ],
  [
    "production's repository through x/../",
    (u, name) =>
      valid(u, name, {
        repoUrl: `${u.git}/x/../production-models.git`,
        path: 'models',
      }),
    400,
    overlaps('models', 'production'),
  ],
  [
    "production's repository with an upper-case scheme",
    (u, name) =>
      valid(u, name, {
        repoUrl: u.production.replace('http:', 'HTTP:'),
        path: 'models',
      }),
    400,
    overlaps('models', 'production'),
  ],
  [
    "production's repository with a percent-encoded character (%2D)",
    (u, name) =>
      valid(u, name, {
        repoUrl: `${u.git}/production%2Dmodels.git`,
        path: 'models',
      }),
    400,
    overlaps('models', 'production'),
  ],
  [
    'the repository root (around every folder)',
    (u, name) => valid(u, name, { path: '' }),
    400,
    /gitops\.path: must be a folder inside the repository, not its root/,
  ],
  [
    'the repository root, spelled /',
    (u, name) => valid(u, name, { repoUrl: u.production, path: '/' }),
    400,
    /gitops\.path: must be a folder inside the repository, not its root/,
  ],
];

const notDnsLabel = (field: string) =>
  new RegExp(`body: ${field}: ".*" is not a DNS-1123 label`);
const otherRows: Row[] = [
  ...['Prod', '-x', 'x_y', 'a'.repeat(64)].map(
    (name): Row => [
      `name ${JSON.stringify(name.slice(0, 12))}`,
      u => valid(u, name),
      400,
      notDnsLabel('name'),
    ],
  ),
  ...['kube_system', 'UPPER', 'a.b'].map(
    (namespace): Row => [
      `namespace ${JSON.stringify(namespace)}`,
      (u, name) => ({ ...valid(u, name), namespace }),
      400,
      notDnsLabel('namespace'),
    ],
  ),
  [
    'stage 1.5',
    (u, name) => ({ ...valid(u, name), stage: 1.5 }),
    400,
    /stage: stage must be a whole number/,
  ],
  [
    'stage -1',
    (u, name) => ({ ...valid(u, name), stage: -1 }),
    400,
    /stage: stage must be 0 or more/,
  ],
  [
    "stage 'x'",
    (u, name) => ({ ...valid(u, name), stage: 'x' }),
    400,
    /stage: stage must be a number/,
  ],
  [
    'an unknown field',
    (u, name) => ({ ...valid(u, name), admin: true }),
    400,
    /unknown field "admin"/,
  ],
  [
    'an unknown field in gitops',
    (u, name) => valid(u, name, { token: URL_PASSWORD }),
    400,
    /gitops: unknown field "token"/,
  ],
  [
    'a title with a newline',
    (u, name) => ({ ...valid(u, name), title: 'QA\nrestricted: true' }),
    400,
    /title: title must be one line of text/,
  ],
  [
    'a name of 60,000 characters',
    u => valid(u, LONG, { path: 'long' }),
    400,
    /body: name: "a{80}"… \(60000 characters\) is not a DNS-1123 label/,
  ],
  [
    'a name of 90 KB (over the body limit)',
    u => valid(u, HUGE, { path: 'huge' }),
    413,
    /^Request body is larger than 64kb$/,
  ],
  [
    "cluster '../x'",
    (u, name) => ({ ...valid(u, name), cluster: '../x' }),
    400,
    /cluster: cluster must be a cluster name from the kubernetes config/,
  ],
  [
    'an unknown cluster',
    (u, name) => ({ ...valid(u, name), cluster: 'nope' }),
    404,
    /^Cluster 'nope' is not configured/,
  ],
];

const rows = [
  ...pathRows,
  ...branchRows,
  ...repoUrlRows,
  ...ownerGroupRows,
  ...overlapRows,
  ...otherRows,
];

describe('security: POST /environments inputs', () => {
  let s: SecurityBackend;
  let urls: Urls;

  beforeAll(async () => {
    s = await startSecurityBackend();
    urls = {
      git: s.gitServer.url,
      gitHost: new URL(s.gitServer.url).host,
      models: s.repos.models,
      production: s.repos.production,
      backendPort: s.port,
      cluster: s.cluster.url,
    };
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('accepts the valid request the rows start from, as a dry run', async () => {
    const before = await s.snapshot();
    const res = await s.post('allow-all', '/environments', {
      ...valid(urls, 'sec-valid'),
      ownerGroups: ['group:default/risk-ml'],
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('dry-run');
    await s.expectNothingWritten(before);
  });

  it.each(
    rows.flatMap((row, index) =>
      [true, false].map(dryRun => [row[0], dryRun, index, row] as const),
    ),
  )('refuses %s (dryRun: %s)', async (_label, dryRun, index, row) => {
    const [, body, status, message] = row;
    const request = {
      ...body(urls, `sec-${index}-${dryRun ? 'dry' : 'real'}`),
      dryRun,
    };
    const before = await s.snapshot();
    const res = await s.post('allow-all', '/environments', request);
    expect(await s.outcome(res, request)).toEqual(
      s.refusal({ status, message, before }),
    );
  });

  it('no response above carried the cluster token or a URL password', () => {
    expect(secretScanResults.scanned).toBeGreaterThan(rows.length * 2);
    expect(secretScanResults.findings).toEqual([]);
  });
});
