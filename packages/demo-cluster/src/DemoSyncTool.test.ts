import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { DemoClusterServer } from './DemoClusterServer';
import { DemoGitServer } from './DemoGitServer';
import { DemoSyncTool } from './DemoSyncTool';
import { readManifestsFromDirectory } from './manifests';
import { MODEL_SERVING_TYPES } from './resourceTypes';
import { DemoClusterSyncTarget } from './SyncTarget';

const execFileAsync = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../../examples');
const SELDON_DEPLOYMENT = MODEL_SERVING_TYPES.find(
  t => t.kind === 'SeldonDeployment',
)!;
const MODEL = MODEL_SERVING_TYPES.find(t => t.kind === 'Model')!;

describe('DemoSyncTool', () => {
  const git = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const cluster = new DemoClusterServer();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-sync-'));
  let tool: DemoSyncTool;
  const errors: Error[] = [];

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await git.start();
    tool = new DemoSyncTool({
      target: new DemoClusterSyncTarget(cluster),
      repositoriesDir: git.repositoriesDir,
      mappings: [
        {
          repository: 'production-models',
          branch: 'main',
          path: 'models',
          namespace: 'production',
        },
      ],
      rolloutMs: 100,
      onError: error => errors.push(error),
    });
    await tool.start();
  }, 60_000);

  afterAll(async () => {
    tool.stop();
    await git.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('leaves the drift that was there when it started', async () => {
    expect(await tool.sync()).toBe(0);
    // Promoted in Git before the demo started, deliberately not applied.
    expect(cluster.store.get(MODEL, 'production', 'price-optimizer')).toBe(
      undefined,
    );
  });

  const work = path.join(tmp, 'work');
  const run = (...args: string[]) =>
    execFileAsync(
      'git',
      ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args],
      { cwd: work },
    );

  it('applies a changed manifest with a short rollout', async () => {
    await execFileAsync('git', [
      'clone',
      '-q',
      `${git.url}/production-models.git`,
      work,
    ]);
    const file = path.join(
      work,
      'models',
      'SeldonDeployment-iris-classifier.json',
    );
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.spec.predictors[0].replicas = 5;
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    await run('commit', '-qam', 'iris to five replicas');
    await run('push', '-q', 'origin', 'HEAD:main');

    expect(await tool.sync()).toBe(1);
    const rolling = cluster.store.get(
      SELDON_DEPLOYMENT,
      'production',
      'iris-classifier',
    ) as any;
    expect(rolling.spec.predictors[0].replicas).toBe(5);
    expect(rolling.metadata.namespace).toBe('production');
    expect(rolling.status.state).toBe('Creating');
    // The endpoint the operator had written survives the update.
    expect(rolling.status.address.url).toContain('iris-classifier');

    // The rollout ends after rolloutMs; poll rather than guess a delay.
    const deadline = Date.now() + 10_000;
    let ready = rolling;
    while (ready.status.state !== 'Available' && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
      ready = cluster.store.get(
        SELDON_DEPLOYMENT,
        'production',
        'iris-classifier',
      ) as any;
    }
    expect(ready.status.state).toBe('Available');
    expect(Object.values<any>(ready.status.deploymentStatus)).toEqual([
      { replicas: 5, availableReplicas: 5 },
    ]);
    // Nothing else changed, nothing else was applied.
    expect(await tool.sync()).toBe(0);
  });

  it('reports a manifest the cluster refuses and applies the others of the commit', async () => {
    const models = path.join(work, 'models');
    // A version of the Model kind the demo cluster does not serve, as a
    // real cluster without it would refuse it too.
    fs.writeFileSync(
      path.join(models, 'Model-unserved-version.yaml'),
      'apiVersion: mlops.seldon.io/v9\nkind: Model\nmetadata:\n  name: unserved-version\nspec:\n  storageUri: gs://models/unserved\n',
    );
    const iris = path.join(models, 'SeldonDeployment-iris-classifier.json');
    const manifest = JSON.parse(fs.readFileSync(iris, 'utf8'));
    manifest.spec.predictors[0].replicas = 6;
    fs.writeFileSync(iris, JSON.stringify(manifest, null, 2));
    await run('add', '-A');
    await run('commit', '-qm', 'iris to six, and an unserved version');
    await run('push', '-q', 'origin', 'HEAD:main');

    errors.length = 0;
    expect(await tool.sync()).toBe(1);
    expect(errors.map(e => e.message)).toEqual([
      expect.stringMatching(
        /^production-models\.git models\/Model-unserved-version\.yaml not applied until it changes: .*mlops\.seldon\.io\/v9 Model/,
      ),
    ]);
    expect(
      (
        cluster.store.get(
          SELDON_DEPLOYMENT,
          'production',
          'iris-classifier',
        ) as any
      ).spec.predictors[0].replicas,
    ).toBe(6);
    // Refused is not retried until the file changes again.
    expect(await tool.sync()).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
