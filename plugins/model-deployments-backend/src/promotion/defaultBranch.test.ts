import { Entity } from '@backstage/catalog-model';
import {
  DemoClusterServer,
  DemoGitServer,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';

const execFileAsync = promisify(execFile);
const TOKEN = 'demo-cluster-token';
const EXAMPLES = path.resolve(__dirname, '../../../../examples');

async function git(...args: string[]) {
  const { stdout } = await execFileAsync('git', args);
  return stdout.trim();
}

const model: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'iris-classifier', namespace: 'default' },
  spec: { type: 'model', owner: 'team', lifecycle: 'production' },
};

/*
 * An environment that names no branch reads the repository's default
 * branch (what HEAD names), so promotions must write there too, whatever
 * it is called; here `trunk`, with a stale `main` beside it.
 */
describe('promotions into a repository whose default branch is not main', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'default-branch-'));
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let repo: string;
  let repoUrl: string;

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await Promise.all([cluster.start(), gitServer.start()]);
    repo = path.join(gitServer.repositoriesDir, 'models.git');
    await git('--git-dir', repo, 'branch', 'trunk', 'main');
    await git('--git-dir', repo, 'symbolic-ref', 'HEAD', 'refs/heads/trunk');
    repoUrl = `${gitServer.url}/models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      entities: [model],
      modelDeployments: {
        gitops: { cacheDir: path.join(tmp, 'cache') },
        environments: ['dev', 'staging'].map(name => ({
          name,
          cluster: 'demo',
          namespace: name,
          gitops: { repoUrl, promotionStrategy: 'commit' },
        })),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([cluster.stop(), gitServer.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('commits to the branch HEAD names, and leaves main alone', async () => {
    const mainBefore = await git('--git-dir', repo, 'rev-parse', 'main');
    const res = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({
        entityRef: 'component:default/iris-classifier',
        to: 'staging',
        force: true,
      });
    expect(res.status).toBe(201);
    const result = res.body as PromotionResult;
    expect(result).toMatchObject({ status: 'committed', branch: 'trunk' });
    expect(await git('--git-dir', repo, 'rev-parse', 'trunk')).toBe(
      result.commit?.sha,
    );
    expect(await git('--git-dir', repo, 'rev-parse', 'main')).toBe(mainBefore);
  });
});
