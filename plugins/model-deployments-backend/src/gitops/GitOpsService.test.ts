import { mockServices } from '@backstage/backend-test-utils';
import { DemoGitServer } from '@seed-mlops/demo-cluster';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { GitHostAllowList } from './GitHostAllowList';
import { GitOpsService } from './GitOpsService';

const execFileAsync = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../../../examples/gitops');

describe('GitOpsService history against a real Git server', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-service-test-'));
  const server = new DemoGitServer({ source: EXAMPLES });
  const services: GitOpsService[] = [];
  let dev: Environment;

  const service = (name: string, depth = 100) => {
    const created = new GitOpsService({
      cacheDir: path.join(tmp, name),
      depth,
      timeoutMs: 10_000,
      refreshIntervalMs: 3_600_000,
      logger: mockServices.logger.mock(),
      allowList: GitHostAllowList.allowing(server.url),
    });
    services.push(created);
    return created;
  };

  const work = path.join(tmp, 'work');
  const commitChange = async (replicas: number) => {
    const file = path.join(
      work,
      'dev',
      'SeldonDeployment-iris-classifier.json',
    );
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.spec.predictors[0].replicas = replicas;
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    const git = (...args: string[]) =>
      execFileAsync(
        'git',
        ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args],
        { cwd: work },
      );
    await git('commit', '-qam', `iris with ${replicas} replicas`);
    await git('push', '-q', 'origin', 'HEAD:main');
  };

  beforeAll(async () => {
    await server.start();
    await execFileAsync('git', [
      'clone',
      '-q',
      `${server.url}/models.git`,
      work,
    ]);
    dev = {
      name: 'dev',
      title: 'Development',
      stage: 10,
      cluster: 'demo',
      namespace: 'dev',
      restricted: false,
      origin: 'config',
      gitops: {
        repoUrl: `${server.url}/models.git`,
        branch: 'main',
        path: 'dev',
      },
    };
  }, 60_000);

  afterAll(async () => {
    services.forEach(s => s.stop());
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const summaryOf = (
    history: Awaited<ReturnType<GitOpsService['history']>>,
  ) => ({
    commits: history?.commits.map(c => c.summary),
    changes: Object.fromEntries(history?.changes ?? []),
    complete: history?.complete,
  });

  it('extends a known history with new commits as a fresh walk would', async () => {
    const running = service('running');
    await running.refreshEnvironment(dev);
    const before = await running.history(dev);
    expect(before?.commits.map(c => c.summary)).toEqual([
      'iris v4 with two replicas',
      'fraud-scorer v5: retrained on October data',
      'news-classifier and toxicity-filter',
      'First models in dev',
    ]);

    await commitChange(3);
    await commitChange(4);
    await running.refreshEnvironment(dev);
    const extended = await running.history(dev);
    // A new service has no known history: it walks all of it.
    const other = service('fresh');
    await other.refreshEnvironment(dev);
    const fresh = await other.history(dev);
    expect(extended?.head).toBe(fresh?.head);
    expect(summaryOf(extended)).toEqual(summaryOf(fresh));
    expect(extended?.commits.slice(0, 2).map(c => c.summary)).toEqual([
      'iris with 4 replicas',
      'iris with 3 replicas',
    ]);
    expect(
      extended?.changes.get('dev/SeldonDeployment-iris-classifier.json'),
    ).toEqual([0, 1, 2, 5]);
  });

  it('keeps no more commits than the history depth', async () => {
    const shallow = service('shallow', 3);
    await shallow.refreshEnvironment(dev);
    await commitChange(5);
    await shallow.refreshEnvironment(dev);
    const history = await shallow.history(dev);
    expect(history?.commits).toHaveLength(3);
    expect(history?.complete).toBe(false);
    expect(history?.commits[0].summary).toBe('iris with 5 replicas');
    for (const indexes of history?.changes.values() ?? []) {
      expect(indexes.every(index => index < 3)).toBe(true);
    }
  });
});
