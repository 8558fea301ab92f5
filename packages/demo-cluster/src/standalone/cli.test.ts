import { ChildProcess, execFile, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { parse } from 'yaml';

const execFileAsync = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Runs `yarn demo-cluster` as a user would, on free ports. */
function startCli(configOut: string) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      'packages/demo-cluster/src/standalone/cli.ts',
      '--port',
      '0',
      '--git-port',
      '0',
      '--config-out',
      configOut,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', chunk => {
      text += chunk;
      // The config ends with the last environment's path.
      if (/path: models\n/.test(text)) resolve(text);
    });
    child.stderr.on('data', chunk => {
      text += chunk;
    });
    child.once('exit', code =>
      reject(new Error(`demo-cluster exited with ${code}: ${text}`)),
    );
  });
  return { child, output };
}

describe('yarn demo-cluster', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cli-'));
  let child: ChildProcess | undefined;

  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the demo cluster and Git, prints the app-config for them, and stops on SIGTERM', async () => {
    const configOut = path.join(tmp, 'app-config.demo.yaml');
    const started = startCli(configOut);
    child = started.child;
    const printed = await started.output;
    const config = parse(fs.readFileSync(configOut, 'utf8'));
    expect(printed).toContain(fs.readFileSync(configOut, 'utf8'));

    const [cluster] = config.kubernetes.clusterLocatorMethods[0].clusters;
    expect(cluster).toMatchObject({
      name: 'demo',
      authProvider: 'serviceAccount',
      serviceAccountToken: 'demo-cluster-token',
    });
    const list = await fetch(
      `${cluster.url}/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments`,
      { headers: { Authorization: `Bearer ${cluster.serviceAccountToken}` } },
    );
    expect(list.status).toBe(200);
    expect((await list.json()).items.length).toBeGreaterThan(0);

    const environments = config.modelDeployments.environments;
    expect(environments.map((e: { name: string }) => e.name)).toEqual([
      'dev',
      'staging',
      'production',
    ]);
    for (const env of environments) {
      const { stdout } = await execFileAsync('git', [
        'ls-remote',
        env.gitops.repoUrl,
        'refs/heads/main',
      ]);
      expect(stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main$/m);
      expect(config.modelDeployments.gitops.allowedHosts).toContain(
        new URL(env.gitops.repoUrl).host,
      );
    }

    const exited = new Promise<number | null>(resolve =>
      child!.once('exit', code => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(cluster.url)).rejects.toThrow();
  }, 60_000);
});
