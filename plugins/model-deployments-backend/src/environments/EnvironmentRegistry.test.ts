import { ConfigReader } from '@backstage/config';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { GitHostAllowList } from '../gitops/GitHostAllowList';
import { EnvironmentRegistry } from './EnvironmentRegistry';
import { NamespaceDiscovery } from './NamespaceDiscovery';
import { readEnvironmentsConfig } from './readEnvironmentsConfig';

const REPO = 'https://git.example.com/acme/models.git';

const configured: Environment[] = [
  {
    name: 'dev',
    title: 'dev',
    stage: 10,
    cluster: 'c',
    namespace: 'dev',
    restricted: false,
    origin: 'config',
    gitops: { repoUrl: REPO, path: 'dev' },
  },
  {
    name: 'production',
    title: 'production',
    stage: 30,
    cluster: 'c',
    namespace: 'production',
    restricted: true,
    origin: 'config',
    gitops: { repoUrl: REPO, path: 'production' },
  },
];

const discovered = (
  name: string,
  gitops?: Environment['gitops'],
): Environment => ({
  name,
  title: name,
  stage: 20,
  cluster: 'c',
  namespace: name,
  restricted: false,
  origin: 'discovery',
  ...(gitops ? { gitops } : {}),
});

const registryWith = (found: Environment[]) =>
  new EnvironmentRegistry(configured, {
    environments: () => found,
  } as unknown as NamespaceDiscovery);

describe('EnvironmentRegistry', () => {
  it.each([
    [
      'production',
      discovered('sneaky', { repoUrl: REPO, path: 'production' }),
      /GitOps folder is that of environment 'production'/,
    ],
    [
      'inside production',
      discovered('sneaky', { repoUrl: `${REPO}/`, path: 'production/x' }),
      /environment 'production'/,
    ],
    [
      'the root',
      discovered('sneaky', { repoUrl: REPO, path: '' }),
      /names the repository root/,
    ],
    [
      'a credential',
      discovered('sneaky', {
        repoUrl: 'https://user:secret@git.example.com/acme/models.git',
        path: 'sneaky',
      }),
      /must not contain credentials/,
    ],
    [
      'Git data',
      discovered('sneaky', { repoUrl: REPO, path: 'x/.GIT/hooks' }),
      /\.git/,
    ],
    [
      'a bad branch',
      discovered('sneaky', { repoUrl: REPO, branch: '-x', path: 'sneaky' }),
      /branch annotation must not start with "-"/,
    ],
  ])(
    'skips and reports a discovered namespace pointing at %s',
    (_what, env, reason) => {
      const { environments, skipped } = registryWith([env]).resolve();
      expect(environments.map(e => e.name)).toEqual(['dev', 'production']);
      expect(skipped).toEqual([
        {
          name: 'sneaky',
          cluster: 'c',
          namespace: 'sneaky',
          reason: expect.stringMatching(reason),
        },
      ]);
    },
  );

  it('keeps the first of two discovered namespaces that share a folder', () => {
    const { environments, skipped } = registryWith([
      discovered('qa-b', { repoUrl: REPO, path: 'qa' }),
      discovered('qa-a', { repoUrl: REPO, path: 'qa' }),
    ]).resolve();
    expect(environments.map(e => e.name)).toEqual([
      'dev',
      'qa-a',
      'production',
    ]);
    expect(skipped.map(s => [s.name, s.reason])).toEqual([
      [
        'qa-b',
        "its GitOps folder is that of environment 'qa-a', or inside or around it",
      ],
    ]);
  });

  it('takes discovered namespaces with folders of their own, or none', () => {
    const { environments, skipped } = registryWith([
      discovered('qa', { repoUrl: REPO, path: 'qa' }),
      discovered('sandbox'),
    ]).resolve();
    expect(environments.map(e => e.name)).toEqual([
      'dev',
      'qa',
      'sandbox',
      'production',
    ]);
    expect(skipped).toEqual([]);
  });
});

describe('readEnvironmentsConfig', () => {
  const read = (environments: object[], allowedHosts = ['git.example.com']) =>
    readEnvironmentsConfig(
      new ConfigReader({ modelDeployments: { environments } }),
      new GitHostAllowList(undefined, new Set(allowedHosts)),
    );
  const env = (name: string, gitops: object) => ({
    name,
    cluster: 'c',
    namespace: name,
    gitops: { repoUrl: REPO, ...gitops },
  });

  it.each([
    [
      [env('dev', { path: 'envs' }), env('staging', { path: 'envs/staging' })],
      /environments\[1\]\.gitops points at the GitOps folder of environment 'dev'/,
    ],
    [
      [env('dev', {}), env('staging', { path: '/dev/' })],
      /environments\[1\]\.gitops points at the GitOps folder of environment 'dev'/,
    ],
    [[env('dev', { branch: 'HEAD' })], /environments\[0\]\.gitops\.branch/],
    [[env('dev', { path: 'a\\b' })], /environments\[0\]\.gitops\.path/],
    [
      [env('dev', { repoUrl: 'https://u:p@git.example.com/x.git' })],
      /environments\[0\]\.gitops\.repoUrl must not contain credentials/,
    ],
    [
      [env('dev', { repoUrl: 'http://127.0.0.1:7007/api/app' })],
      /environments\[0\]\.gitops\.repoUrl: host "127.0.0.1:7007" is not allowed/,
    ],
  ])(
    'refuses config %# at startup, naming the key',
    (environments, message) => {
      expect(() => read(environments)).toThrow(message);
    },
  );

  it('reads environments with folders of their own, normalized', () => {
    expect(
      read([
        env('dev', { path: '/envs//dev/' }),
        env('staging', { path: 'envs/staging' }),
        env('production', { branch: 'production', path: 'envs/dev' }),
      ]).map(e => e.gitops?.path),
    ).toEqual(['envs/dev', 'envs/staging', 'envs/dev']);
  });
});
