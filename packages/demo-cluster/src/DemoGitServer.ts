import { execFile, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** Options of {@link DemoGitServer}. */
export interface DemoGitServerOptions {
  /**
   * Folder whose subfolders are repositories: `<source>/<name>/` is served
   * as `<url>/<name>.git`. Copied, never written to.
   */
  source: string;
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When set, requests must carry HTTP basic auth with this password (any user). */
  password?: string;
  /** Where the served repositories live; a new temporary folder by default. */
  dataDir?: string;
}

/** The identity the demo's commits are made as, unless a commit plan names another. */
const DEMO_AUTHOR = { name: 'Seldon Deploy', email: 'deploy@example.com' };

/** One planned commit of a demo repository, from its `.history.json`. */
interface PlannedCommit {
  /** Files or folders (relative to the repository) the commit adds, in order. */
  paths: string[];
  /**
   * Earlier versions: repository path to the file (under `.history/`) whose
   * content it gets in this commit, so a file can change over the history.
   */
  files?: Record<string, string>;
  author?: { name: string; email: string };
  /** ISO date of the commit. */
  date?: string;
  /** Seldon Enterprise Platform's JSON commit message fields. */
  action: string;
  message?: string;
}

async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
      ...env,
    },
  });
  return stdout.trim();
}

/**
 * A real Git smart-HTTP server on loopback: Debian's `git http-backend`
 * behind a small Node HTTP server, for the example portal and the tests.
 * Each repository is built from a folder of manifests, one commit per entry
 * of the folder's optional `.history.json` (else a single commit), so the
 * demo has an authored history. Pushes are accepted.
 */
export class DemoGitServer {
  private server?: http.Server;
  private root?: string;
  private createdDataDir = false;

  constructor(private readonly options: DemoGitServerOptions) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) {
      throw new Error('The demo Git server is not running');
    }
    return `http://${address.address}:${address.port}`;
  }

  /** Folder holding the bare repositories, `<name>.git`. */
  get repositoriesDir(): string {
    if (!this.root) {
      throw new Error('The demo Git server is not running');
    }
    return this.root;
  }

  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
      throw new Error(
        `The demo Git server only listens on loopback, not '${host}'`,
      );
    }
    if (this.options.dataDir) {
      this.root = this.options.dataDir;
      fs.mkdirSync(this.root, { recursive: true });
    } else {
      this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-git-'));
      this.createdDataDir = true;
    }
    for (const entry of fs.readdirSync(this.options.source, {
      withFileTypes: true,
    })) {
      if (entry.isDirectory()) {
        await this.createRepository(entry.name);
      }
    }
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, host, () => resolve());
    });
    return this.url;
  }

  async stop() {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
    if (this.createdDataDir && this.root) {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }

  /** Builds `<root>/<name>.git` from `<source>/<name>/`, replacing any older copy. */
  private async createRepository(name: string) {
    const source = path.join(this.options.source, name);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `demo-git-${name}-`));
    const bare = path.join(this.root!, `${name}.git`);
    try {
      fs.rmSync(bare, { recursive: true, force: true });
      await git(work, ['init', '-q', '-b', 'main']);
      const historyFile = path.join(source, '.history.json');
      const plan: PlannedCommit[] = fs.existsSync(historyFile)
        ? JSON.parse(fs.readFileSync(historyFile, 'utf8'))
        : [{ paths: ['.'], action: 'Initial state' }];
      let planned = 0;
      for (const commit of plan) {
        for (const [target, version] of Object.entries(commit.files ?? {})) {
          fs.mkdirSync(path.dirname(path.join(work, target)), {
            recursive: true,
          });
          fs.copyFileSync(path.join(source, version), path.join(work, target));
        }
        for (const relative of commit.paths) {
          const target = path.join(work, relative);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.cpSync(path.join(source, relative), target, {
            recursive: true,
            filter: src =>
              !['.history.json', '.history'].includes(path.basename(src)),
          });
        }
        planned++;
        const author = commit.author ?? DEMO_AUTHOR;
        const date =
          commit.date ?? new Date(Date.UTC(2026, 10, planned)).toISOString();
        await git(work, ['add', '-A']);
        await git(
          work,
          [
            'commit',
            '-q',
            '--allow-empty',
            '-m',
            JSON.stringify({
              Action: commit.action,
              Message: commit.message ?? '',
              Author: author.name,
              Email: author.email,
            }),
          ],
          {
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_AUTHOR_DATE: date,
            GIT_COMMITTER_NAME: DEMO_AUTHOR.name,
            GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email,
            GIT_COMMITTER_DATE: date,
          },
        );
      }
      await git(this.root!, ['clone', '-q', '--bare', work, bare]);
      // Lets clients push, as later promotion commits do.
      await git(bare, ['config', 'http.receivepack', 'true']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  private authorized(req: http.IncomingMessage): boolean {
    const password = this.options.password;
    if (!password) return true;
    const header = req.headers.authorization ?? '';
    const match = /^Basic (.+)$/.exec(header);
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) === password;
  }

  /** Runs `git http-backend` as a CGI program for one request. */
  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!this.authorized(req)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="demo-git"' });
      res.end('Authentication required');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://demo-git');
    const backend = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: this.root,
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        // Lets http-backend accept pushes without its own authentication.
        REMOTE_USER: 'demo',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) }
          : {}),
        ...(req.headers['git-protocol']
          ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
          : {}),
      },
    });
    req.pipe(backend.stdin);
    let headerBuffer = Buffer.alloc(0);
    let headersDone = false;
    backend.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      headerBuffer = Buffer.concat([headerBuffer, chunk]);
      const end = headerBuffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerBuffer
        .subarray(0, end)
        .toString('utf8')
        .split('\r\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === 'status') {
          status = Number.parseInt(value, 10);
        } else {
          headers[key] = value;
        }
      }
      res.writeHead(status, headers);
      res.write(headerBuffer.subarray(end + 4));
    });
    backend.stdout.on('end', () => {
      if (!headersDone) {
        res.writeHead(502);
      }
      res.end();
    });
    backend.on('error', error => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  }
}
