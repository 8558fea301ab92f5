import { execFile } from 'child_process';
import fs from 'fs';
import https from 'https';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { parseAllDocuments } from 'yaml';

const execFileAsync = promisify(execFile);

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const SCRIPT = path.join(REPO_ROOT, 'scripts/kube-apiserver.sh');
/** The published CRDs, beside the repository (never copied into it). */
export const SHARED_CRDS = path.resolve(REPO_ROOT, '../shared/crds');

/** Builds the binaries when missing: minutes on a fresh machine, nothing after. */
export const BUILD_TIMEOUT_MS = 15 * 60_000;

async function script(...args: string[]) {
  return execFileAsync('bash', [SCRIPT, ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * A real etcd and kube-apiserver on loopback (scripts/kube-apiserver.sh),
 * with the published CRDs installed, and the admin's requests to it.
 */
export class RealApiServer {
  private constructor(
    private readonly dir: string,
    readonly url: string,
    private readonly etcdUrl: string,
    readonly adminToken: string,
    /** The token of user `model-deployments`, which has no rights until bound. */
    readonly pluginToken: string,
  ) {}

  static async start(
    options: {
      crds?: boolean;
      /** false: watches are served from etcd, where compaction gives 410 Gone. */
      watchCache?: boolean;
    } = {},
  ) {
    await script('build');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-apiserver-'));
    await execFileAsync('bash', [SCRIPT, 'start', dir], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KUBE_WATCH_CACHE: String(options.watchCache ?? true),
      },
    });
    if (options.crds !== false) await script('crds', dir, SHARED_CRDS);
    const env = JSON.parse(fs.readFileSync(path.join(dir, 'env.json'), 'utf8'));
    return new RealApiServer(
      dir,
      env.KUBE_APISERVER_URL,
      env.KUBE_ETCD_URL,
      env.KUBE_ADMIN_TOKEN,
      env.KUBE_PLUGIN_TOKEN,
    );
  }

  /** Stops the API server alone; etcd keeps the data. */
  async stopApiServer() {
    await script('apiserver-stop', this.dir);
  }

  /** Starts the API server again on the same port. */
  async startApiServer() {
    await script('apiserver-start', this.dir);
  }

  /**
   * Compacts etcd up to its current revision, as the API server does every
   * 5 minutes, so that any older resourceVersion is gone; returns it.
   */
  async compactEtcd(): Promise<number> {
    const etcd = async (call: string, body: unknown) => {
      const res = await fetch(`${this.etcdUrl}/v3/kv/${call}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`etcd ${call}: ${res.status}`);
      return res.json();
    };
    // Any key answers with the store's current revision in its header.
    const { header } = await etcd('range', { key: 'AA==' });
    await etcd('compaction', { revision: header.revision, physical: true });
    return Number(header.revision);
  }

  /**
   * The requests a user made, from the API server's audit log (one JSON
   * event per answered request): verb, path and query.
   */
  requestsOf(username: string): AuditedRequest[] {
    const file = path.join(this.dir, 'audit.log');
    if (!fs.existsSync(file)) return [];
    const seen = new Set<string>();
    return (
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(line => line.trim())
        .map(line => JSON.parse(line))
        .filter(event => event.user?.username === username)
        // A watch is logged when its answer starts and again when it ends.
        .filter(event => {
          if (seen.has(event.auditID)) return false;
          seen.add(event.auditID);
          return true;
        })
        .map(event => {
          const uri = new URL(event.requestURI, 'https://audit.invalid');
          return {
            verb: event.verb,
            path: uri.pathname,
            query: Object.fromEntries(uri.searchParams),
            code: event.responseStatus?.code,
          };
        })
    );
  }

  async stop() {
    await script('stop', this.dir);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** One request as the admin; the answer's status and parsed body. */
  request(
    method: string,
    requestPath: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        `${this.url}${requestPath}`,
        {
          method,
          // The server's certificate is self-signed for this test.
          rejectUnauthorized: false,
          headers: {
            Authorization: `Bearer ${this.adminToken}`,
            Accept: 'application/json',
            ...(body !== undefined ? { 'Content-Type': contentType } : {}),
          },
        },
        response => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', chunk => {
            text += chunk;
          });
          response.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // Plain text, e.g. "404 page not found".
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
        },
      );
      request.on('error', reject);
      if (body !== undefined) request.write(JSON.stringify(body));
      request.end();
    });
  }

  /** Creates each object of a YAML file, failing on anything but 201. */
  async apply(file: string) {
    const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d =>
      d.toJS(),
    );
    for (const object of objects) await this.create(object);
  }

  async create(object: any) {
    const res = await this.request('POST', collectionOf(object), object);
    if (res.status !== 201) {
      throw new Error(
        `Creating ${object.kind} ${object.metadata?.name}: ${
          res.status
        } ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }
}

export interface AuditedRequest {
  verb: string;
  path: string;
  query: Record<string, string>;
  code?: number;
}

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  RoleBinding: 'rolebindings',
  SeldonDeployment: 'seldondeployments',
  Model: 'models',
  Server: 'servers',
  InferenceService: 'inferenceservices',
};

/** The collection an object is created in. */
export function collectionOf(object: any) {
  const [group, version] = String(object.apiVersion).includes('/')
    ? String(object.apiVersion).split('/')
    : ['', object.apiVersion];
  const plural = PLURALS[object.kind];
  if (!plural) throw new Error(`No plural known for ${object.kind}`);
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const namespace = object.metadata?.namespace;
  return namespace
    ? `${base}/namespaces/${namespace}/${plural}`
    : `${base}/${plural}`;
}
