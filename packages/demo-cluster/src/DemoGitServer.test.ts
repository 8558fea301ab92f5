import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { DemoGitServer } from './DemoGitServer';

const execFileAsync = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../../examples/gitops');

async function git(cwd: string, ...args: string[]) {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' },
  });
  return stdout.trim();
}

describe('DemoGitServer', () => {
  const server = new DemoGitServer({ source: EXAMPLES });
  const protectedServer = new DemoGitServer({
    source: EXAMPLES,
    password: 's3cret',
  });
  let work: string;

  beforeAll(async () => {
    await Promise.all([server.start(), protectedServer.start()]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-git-test-'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([server.stop(), protectedServer.stop()]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves each example folder as a repository with its planned history', async () => {
    await git(work, 'clone', '-q', `${server.url}/models.git`, 'models');
    const clone = path.join(work, 'models');
    expect(fs.readdirSync(clone).sort()).toEqual(['.git', 'dev', 'staging']);
    expect(fs.existsSync(path.join(clone, '.history.json'))).toBe(false);
    const log = await git(clone, 'log', '--format=%an|%aI|%s');
    const commits = log.split('\n').map(line => line.split('|'));
    expect(commits).toHaveLength(5);
    expect(commits[0][0]).toBe('Tomás Ortega');
    expect(Date.parse(commits[0][1])).toBe(Date.parse('2026-11-22T16:00:00Z'));
    expect(JSON.parse(commits[0][2])).toEqual({
      Action: 'Deployment updated',
      Message: 'iris v4 with two replicas',
      Author: 'Tomás Ortega',
      Email: 'tomas@example.com',
    });
    // The first commit gives iris its earlier version from .history/.
    const firstIris = JSON.parse(
      await git(
        clone,
        'show',
        'HEAD~4:dev/SeldonDeployment-iris-classifier.json',
      ),
    );
    expect(firstIris.spec.predictors[0].graph.modelUri).toBe(
      'gs://acme-models/iris/v3',
    );
    const lastIris = JSON.parse(
      await git(
        clone,
        'show',
        'HEAD:dev/SeldonDeployment-iris-classifier.json',
      ),
    );
    expect(lastIris.spec.predictors[0].graph.modelUri).toBe(
      'gs://acme-models/iris/v4',
    );
    // The versions folder itself is never served.
    const tree = await git(clone, 'ls-tree', '-r', '--name-only', 'HEAD');
    expect(tree).not.toContain('.history');
  });

  it('accepts pushes, and never touches the checked-in examples', async () => {
    const clone = path.join(work, 'push');
    await git(
      work,
      'clone',
      '-q',
      `${server.url}/production-models.git`,
      'push',
    );
    fs.writeFileSync(path.join(clone, 'models', 'note.txt'), 'hello\n');
    await git(clone, 'add', '-A');
    await execFileAsync(
      'git',
      [
        '-c',
        'user.name=Test',
        '-c',
        'user.email=t@example.com',
        'commit',
        '-qm',
        'note',
      ],
      { cwd: clone },
    );
    await git(clone, 'push', '-q', 'origin', 'HEAD:main');
    const remote = await git(
      work,
      'ls-remote',
      `${server.url}/production-models.git`,
      'refs/heads/main',
    );
    expect(remote.split('\t')[0]).toBe(await git(clone, 'rev-parse', 'HEAD'));
    expect(
      fs.existsSync(
        path.join(EXAMPLES, 'production-models', 'models', 'note.txt'),
      ),
    ).toBe(false);
  });

  it('asks for credentials when a password is set', async () => {
    await expect(
      git(work, 'ls-remote', `${protectedServer.url}/models.git`),
    ).rejects.toThrow(/Authentication failed|could not read Username|401/);
    const withPassword = protectedServer.url.replace(
      'http://',
      'http://x:s3cret@',
    );
    await expect(
      git(work, 'ls-remote', `${withPassword}/models.git`),
    ).resolves.toMatch(/refs\/heads\/main/);
  });
});
