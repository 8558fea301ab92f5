import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import {
  demoClusterAndGit,
  exampleModel,
} from '../__testUtils__/demoClusterAndGit';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';

const execFileAsync = promisify(execFile);

async function git(...args: string[]) {
  const { stdout } = await execFileAsync('git', args);
  return stdout.trim();
}

/*
 * An environment that names no branch reads the repository's default
 * branch (what HEAD names), so promotions must write there too, whatever
 * it is called; here `trunk`, with a stale `main` beside it.
 */
describe('promotions into a repository whose default branch is not main', () => {
  const demo = demoClusterAndGit('default-branch-');
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let repo: string;
  let repoUrl: string;

  beforeAll(async () => {
    await demo.start();
    repo = path.join(demo.gitServer.repositoriesDir, 'models.git');
    await git('--git-dir', repo, 'branch', 'trunk', 'main');
    await git('--git-dir', repo, 'symbolic-ref', 'HEAD', 'refs/heads/trunk');
    repoUrl = `${demo.gitServer.url}/models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [exampleModel('iris-classifier')],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
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
    await demo.stop();
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
