import { Entity } from '@backstage/catalog-model';
import { DemoClusterServer, DemoGitServer } from '@seed-mlops/demo-cluster';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { namespace, seldonDeployment } from '../__fixtures__/manifests';

const execFileAsync = promisify(execFile);
const TOKEN = 'demo-cluster-token';
const MODELS = 20;
const OUTSIDE_COMMITS = 3;

async function git(cwd: string, ...args: string[]) {
  const { stdout } = await execFileAsync(
    'git',
    ['-c', 'user.name=Outside', '-c', 'user.email=o@example.com', ...args],
    { cwd },
  );
  return stdout.trim();
}

describe('many promotions into one environment at once', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concurrent-promotions-'));
  const source = path.join(tmp, 'source');
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source });
  const names = Array.from({ length: MODELS }, (_, i) => `model-${i}`);
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let repoUrl: string;

  beforeAll(async () => {
    fs.mkdirSync(path.join(source, 'fleet', 'production'), { recursive: true });
    fs.writeFileSync(
      path.join(source, 'fleet', 'production', 'README.md'),
      '# production\n',
    );
    cluster.apply(['staging', 'production'].map(ns => namespace(ns)));
    cluster.apply(
      names.map(name =>
        seldonDeployment(name, 'staging', 'Available', `gs://m/${name}/v2`, {
          'backstage.io/kubernetes-id': name,
        }),
      ),
    );
    await Promise.all([cluster.start(), gitServer.start()]);
    repoUrl = `${gitServer.url}/fleet.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      entities: names.map(
        (name): Entity => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name, namespace: 'default' },
          spec: { type: 'model', owner: 'team', lifecycle: 'production' },
        }),
      ),
      modelDeployments: {
        gitops: { cacheDir: path.join(tmp, 'cache') },
        environments: [
          // Not GitOps-managed: promotions copy the live objects.
          { name: 'staging', cluster: 'demo', namespace: 'staging' },
          {
            name: 'production',
            cluster: 'demo',
            namespace: 'production',
            gitops: { repoUrl, branch: 'main', path: 'production' },
          },
        ],
      },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([cluster.stop(), gitServer.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lands every promotion once, keeps outside commits and a linear history', async () => {
    const outside = path.join(tmp, 'outside');
    await git(tmp, 'clone', '-q', repoUrl, outside);
    // Another writer pushes to the same branch while the promotions run.
    const pushFromOutside = async () => {
      for (let i = 0; i < OUTSIDE_COMMITS; i++) {
        for (let attempt = 0; ; attempt++) {
          await git(outside, 'pull', '-q', '--rebase', 'origin', 'main');
          fs.appendFileSync(
            path.join(outside, 'production', 'README.md'),
            `note ${i}\n`,
          );
          await git(outside, 'commit', '-qam', `outside ${i}`);
          try {
            await git(outside, 'push', '-q', 'origin', 'HEAD:main');
            break;
          } catch (error) {
            if (attempt > 20) throw error;
            await git(outside, 'reset', '-q', '--hard', 'HEAD~1');
          }
        }
      }
    };
    const promotions = [...names, names[0]].map(name =>
      request(backend.server)
        .post('/api/model-deployments/promotions')
        .send({ entityRef: `component:default/${name}`, to: 'production' }),
    );
    const [responses] = await Promise.all([
      Promise.all(promotions),
      pushFromOutside(),
    ]);

    const statuses = responses.map(r => r.body.status);
    // The repeated request finds its change already there.
    expect(statuses.filter(s => s === 'committed')).toHaveLength(MODELS);
    expect(statuses.filter(s => s === 'up-to-date')).toHaveLength(1);

    const check = path.join(tmp, 'check');
    await git(tmp, 'clone', '-q', repoUrl, check);
    const history = (await git(check, 'log', '--format=%H %P %s')).split('\n');
    // Linear: every commit has one parent, except the first.
    expect(history.every(line => line.split(' ').length >= 2)).toBe(true);
    expect(await git(check, 'rev-list', '--merges', 'HEAD')).toBe('');
    expect(history).toHaveLength(1 + MODELS + OUTSIDE_COMMITS);
    const shas = new Set(history.map(line => line.split(' ')[0]));
    const promoted = responses
      .filter(r => r.body.status === 'committed')
      .map(r => r.body.commit.sha);
    expect(promoted.filter(sha => shas.has(sha))).toEqual(promoted);
    for (const name of names) {
      expect(
        fs.existsSync(
          path.join(check, 'production', `SeldonDeployment-${name}.json`),
        ),
      ).toBe(true);
    }
    const readme = fs.readFileSync(
      path.join(check, 'production', 'README.md'),
      'utf8',
    );
    expect(readme).toBe('# production\nnote 0\nnote 1\nnote 2\n');
  }, 120_000);
});
