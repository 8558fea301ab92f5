import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { buildRepository } from './gitServer/buildRepository';
import {
  hasBasicAuthPassword,
  serveWithHttpBackend,
} from './gitServer/httpBackend';

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
        await buildRepository(this.options.source, this.root, entry.name);
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

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!hasBasicAuthPassword(req, this.options.password)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="demo-git"' });
      res.end('Authentication required');
      return;
    }
    serveWithHttpBackend(req, res, this.root!);
  }
}
