import { execFile } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { DemoGitServer } from '@seed-mlops/demo-cluster';
import { GitMirror } from './GitMirror';
import { parseManifests } from './parseManifests';

const execFileAsync = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../../../examples/gitops');

describe('GitMirror against a real Git smart-HTTP server', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'git-mirror-test-'));
  const brokenSource = path.join(tmp, 'source');
  const examples = new DemoGitServer({ source: EXAMPLES });
  const broken = new DemoGitServer({ source: brokenSource });
  const mirror = (url: string, name: string, branch = 'main', depth = 50) =>
    new GitMirror({
      url,
      branch,
      gitdir: path.join(tmp, 'mirrors', name),
      depth,
      timeoutMs: 10_000,
    });

  beforeAll(async () => {
    fs.mkdirSync(path.join(brokenSource, 'gitops', 'dev'), { recursive: true });
    fs.writeFileSync(
      path.join(brokenSource, 'gitops', 'dev', 'Model-good.yaml'),
      'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: good\nspec:\n  storageUri: gs://m/good\n---\napiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: also-good\n',
    );
    fs.writeFileSync(
      path.join(brokenSource, 'gitops', 'dev', 'Model-bad.yaml'),
      'apiVersion: v1\nkind: Model\nmetadata: {name: bad\n  spec: [\n',
    );
    fs.writeFileSync(
      path.join(brokenSource, 'gitops', 'dev', 'kustomization.yaml'),
      'resources:\n  - Model-good.yaml\n',
    );
    fs.writeFileSync(
      path.join(brokenSource, 'gitops', 'dev', 'README.md'),
      '# dev\n',
    );
    await Promise.all([examples.start(), broken.start()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([examples.stop(), broken.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads a folder per environment from one repository', async () => {
    const models = mirror(`${examples.url}/models.git`, 'models');
    const commit = await models.sync();
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const dev = parseManifests(await models.readFolder(commit, 'dev'));
    expect(dev.errors).toEqual([]);
    const iris = dev.manifests.find(
      m => m.object.metadata?.name === 'iris-classifier',
    );
    expect(iris?.path).toBe('dev/SeldonDeployment-iris-classifier.json');
    expect(iris?.object.spec.predictors[0].graph.modelUri).toBe(
      'gs://acme-models/iris/v4',
    );
    const staging = parseManifests(await models.readFolder(commit, 'staging'));
    expect(staging.manifests.map(m => m.path)).toContain(
      'staging/Experiment-search-ranker.yaml',
    );
    expect(dev.manifests.every(m => m.path.startsWith('dev/'))).toBe(true);
  });

  it('reads one repository per environment', async () => {
    const production = mirror(
      `${examples.url}/production-models.git`,
      'production',
    );
    const commit = await production.sync();
    const { manifests } = parseManifests(
      await production.readFolder(commit, 'models'),
    );
    expect(
      manifests.map(m => `${m.object.kind}/${m.object.metadata?.name}`),
    ).toEqual(
      expect.arrayContaining([
        'Model/price-optimizer',
        'SeldonDeployment/fraud-scorer',
      ]),
    );
    // An absent folder is empty, not an error.
    expect(await production.readFolder(commit, 'nowhere')).toEqual([]);
  });

  it("tells which commits changed each of a folder's files", async () => {
    const models = mirror(`${examples.url}/models.git`, 'history');
    const head = await models.sync();
    const dev = await models.folderHistory(head, 'dev', 100);
    expect(dev.complete).toBe(true);
    // The staging-only commit changed nothing in dev.
    expect(dev.commits.map(c => c.message)).toEqual([
      expect.stringContaining('iris v4 with two replicas'),
      expect.stringContaining('fraud-scorer v5'),
      expect.stringContaining('news-classifier and toxicity-filter'),
      expect.stringContaining('First models in dev'),
    ]);
    expect(dev.commits[0]).toMatchObject({
      sha: head,
      author: { name: 'Tomás Ortega', email: 'tomas@example.com' },
      committedAt: Date.parse('2026-11-22T16:00:00Z') / 1000,
    });
    expect(
      dev.changes.get('dev/SeldonDeployment-iris-classifier.json'),
    ).toEqual([0, 3]);
    expect(dev.changes.get('dev/SeldonDeployment-fraud-scorer.json')).toEqual([
      1, 3,
    ]);
    expect(dev.changes.get('dev/Model-price-optimizer.yaml')).toEqual([3]);
    expect([...dev.changes.keys()].every(p => p.startsWith('dev/'))).toBe(true);

    const root = await models.folderHistory(head, '', 100);
    expect(root.commits).toHaveLength(5);
    expect(root.changes.get('staging/Model-price-optimizer.yaml')).toEqual([3]);

    const firstTwo = await models.folderHistory(head, 'dev', 2);
    expect(firstTwo.commits).toHaveLength(2);
    expect(firstTwo.complete).toBe(false);
  });

  it('says where a shallow history ends', async () => {
    const shallow = mirror(`${examples.url}/models.git`, 'shallow', 'main', 2);
    const head = await shallow.sync();
    const dev = await shallow.folderHistory(head, 'dev', 100);
    // The second commit's parent was not fetched: what it changed is unknown.
    expect(dev.complete).toBe(false);
    expect(dev.commits).toHaveLength(1);
    expect(dev.changes.get('dev/SeldonDeployment-fraud-scorer.json')).toBe(
      undefined,
    );
  });

  it('reports a malformed file on its own and reads the others', async () => {
    const repo = mirror(`${broken.url}/gitops.git`, 'broken');
    const commit = await repo.sync();
    const { manifests, errors } = parseManifests(
      await repo.readFolder(commit, 'dev'),
    );
    expect(manifests.map(m => m.object.metadata?.name)).toEqual([
      'good',
      'also-good',
    ]);
    expect(errors).toEqual([
      // The unclosed flow mapping opens on line 3.
      {
        path: 'dev/Model-bad.yaml',
        message: expect.stringMatching(/\(line 3, column \d+\)$/),
        line: 3,
      },
    ]);
  });

  it('fetches new commits', async () => {
    const repo = mirror(`${examples.url}/production-models.git`, 'fetching');
    const before = await repo.sync();
    const work = path.join(tmp, 'work');
    await execFileAsync('git', [
      'clone',
      '-q',
      `${examples.url}/production-models.git`,
      work,
    ]);
    fs.writeFileSync(
      path.join(work, 'models', 'Model-new.yaml'),
      'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: new\n',
    );
    await execFileAsync('git', ['add', '-A'], { cwd: work });
    await execFileAsync(
      'git',
      [
        '-c',
        'user.name=T',
        '-c',
        'user.email=t@example.com',
        'commit',
        '-qm',
        'new',
      ],
      { cwd: work },
    );
    await execFileAsync('git', ['push', '-q', 'origin', 'HEAD:main'], {
      cwd: work,
    });

    const after = await repo.sync();
    expect(after).not.toBe(before);
    const { manifests } = parseManifests(
      await repo.readFolder(after, 'models'),
    );
    expect(manifests.map(m => m.object.metadata?.name)).toContain('new');
  });

  it('gives up on a server that never answers, and queues the next fetch behind the hung one', async () => {
    const sockets: net.Socket[] = [];
    const blackHole = net.createServer(socket => sockets.push(socket));
    await new Promise<void>(resolve =>
      blackHole.listen(0, '127.0.0.1', resolve),
    );
    const { port } = blackHole.address() as net.AddressInfo;
    const hung = new GitMirror({
      url: `http://127.0.0.1:${port}/models.git`,
      gitdir: path.join(tmp, 'mirrors', 'hung'),
      depth: 1,
      timeoutMs: 300,
    });
    await expect(hung.sync()).rejects.toThrow(
      'Git did not answer within 300 ms',
    );
    // The first request is still open; the second fetch waits for it rather
    // than writing the same Git directory alongside it.
    await expect(hung.sync()).rejects.toThrow(
      'Git did not answer within 300 ms',
    );
    expect(sockets).toHaveLength(1);
    sockets.forEach(socket => socket.destroy());
    await new Promise(resolve => blackHole.close(resolve));
  });

  it('fails clearly when the server cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(
      mirror('http://127.0.0.1:1/models.git', 'down').sync(),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
