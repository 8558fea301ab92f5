import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const SCRIPT = path.join(REPO_ROOT, 'scripts/kube-apiserver.sh');

/**
 * The published CRDs, beside the repository and never copied into it; the
 * same variable and default as `bash scripts/start.sh --real-cluster`.
 */
export const CRDS_DIR =
  process.env.MODEL_DEPLOYMENTS_CRDS ??
  path.resolve(REPO_ROOT, '../shared/crds');

/** Building etcd and kube-apiserver when missing takes minutes; nothing after. */
export const START_TIMEOUT_MS = 15 * 60_000;

async function script(...args: string[]) {
  return execFileAsync('bash', [SCRIPT, ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * A real etcd and kube-apiserver on loopback, from scripts/kube-apiserver.sh
 * (which builds them first when needed), with the published CRDs installed.
 */
export class LocalControlPlane {
  private constructor(
    readonly dir: string,
    /** The `env.json` the script wrote: URL, tokens, pids. */
    readonly envFile: string,
    readonly url: string,
    readonly adminToken: string,
    /** User `model-deployments`, which has no rights until bound. */
    readonly pluginToken: string,
  ) {}

  static async start(): Promise<LocalControlPlane> {
    if (!fs.existsSync(CRDS_DIR)) {
      throw new Error(
        `No CRD folder at ${CRDS_DIR}: set MODEL_DEPLOYMENTS_CRDS to the folder of the published CRDs (default ../shared/crds beside the repository)`,
      );
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-real-cluster-'));
    try {
      await script('start', dir);
      await script('crds', dir, CRDS_DIR);
    } catch (error) {
      // Leave nothing running when the CRDs fail after the start.
      if (fs.existsSync(path.join(dir, 'env.json'))) {
        await script('stop', dir).catch(() => {});
      }
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const envFile = path.join(dir, 'env.json');
    const env = JSON.parse(fs.readFileSync(envFile, 'utf8'));
    return new LocalControlPlane(
      dir,
      envFile,
      env.KUBE_APISERVER_URL,
      env.KUBE_ADMIN_TOKEN,
      env.KUBE_PLUGIN_TOKEN,
    );
  }

  async stop() {
    await script('stop', this.dir);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
