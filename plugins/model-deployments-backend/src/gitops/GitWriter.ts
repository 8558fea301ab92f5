import { ConflictError } from '@backstage/errors';
import fs from 'fs';
import git, { AuthCallback } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { GitRepositoryError } from '../http/errors';
import { describeGitError, gitRepositoryError } from './gitErrors';
import { redact } from './redact';
import { RepositoryLock } from './RepositoryLock';

/** A file to write in one commit: its path from the repository root and content. */
export interface FileChange {
  path: string;
  content: string;
}

/** The identity a commit is made as. */
export interface CommitIdentity {
  name: string;
  email: string;
}

/** What a write decided, given the branch's files as they are. */
export type WritePlan =
  | {
      kind: 'write';
      files: FileChange[];
      message: string;
      /** Commit to this new branch (for review) instead of the base branch. */
      branch?: string;
    }
  | { kind: 'none' };

/** What a write did. */
export interface WriteResult {
  /** The commit made; undefined when the plan wrote nothing. */
  commit?: string;
  /** The branch the commit was pushed to. */
  branch: string;
  /** The commit the base branch pointed at when the plan was made. */
  baseCommit: string;
  /** How many times the push was refused because the branch moved, then redone. */
  retries: number;
  /** True when the target branch already existed, so nothing was pushed. */
  existed?: boolean;
}

const MAX_ATTEMPTS = 6;

/** Splits `a/b/c.yaml` into checked segments; refuses anything outside the repository. */
function segmentsOf(filePath: string): string[] {
  const segments = filePath.split('/');
  if (
    !filePath ||
    filePath.startsWith('/') ||
    segments.some(s => s === '' || s === '.' || s === '..' || s === '.git')
  ) {
    throw new Error(`Refusing to write outside the repository: '${filePath}'`);
  }
  return segments;
}

function isMovedBranch(error: unknown): boolean {
  const name = (error as Error)?.name;
  // Refused as not fast-forward, by isomorphic-git's own check or the server.
  return name === 'PushRejectedError' || name === 'GitPushError';
}

/**
 * Writes commits to one repository without a working tree: fetches the
 * branch head, lets the caller plan the change against the files there,
 * writes blobs, trees and a commit, and pushes. When the branch moved in the
 * meantime (another writer won), it fetches again and re-plans, so nothing
 * is lost and history stays linear. Writers in this process take turns.
 */
export class GitWriter {
  private readonly cache = {};
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      url: string;
      /** Directory for this writer's Git data, apart from the read mirror. */
      gitdir: string;
      onAuth?: AuthCallback;
      /** Upper bound for one fetch or push. */
      timeoutMs: number;
      /** Turns with the other replicas' writers of this repository; none in one process. */
      lock?: RepositoryLock;
    },
  ) {}

  private defaultBranchName?: Promise<string>;

  /** Runs `work` after every earlier write of this writer has finished. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => undefined).then(work);
    this.queue = run;
    return run;
  }

  private async withTimeout<T>(work: (signal: AbortSignal) => Promise<T>) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      return await work(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) {
        throw new GitRepositoryError(
          `Cannot reach Git repository ${redact(
            this.options.url,
          )}: no answer within ${this.options.timeoutMs} ms`,
        );
      }
      // A moved branch is retried by `write`; everything else is told briefly.
      if (isMovedBranch(error)) throw error;
      throw gitRepositoryError(this.options.url, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fetches `branch` and resolves to its head commit. */
  private async fetchHead(branch: string): Promise<string> {
    const { gitdir, url, onAuth } = this.options;
    if (!fs.existsSync(`${gitdir}/HEAD`)) {
      fs.mkdirSync(gitdir, { recursive: true });
      await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
      await git.addRemote({ fs, gitdir, remote: 'origin', url });
    }
    await git.fetch({
      fs,
      http,
      gitdir,
      url,
      ref: branch,
      remoteRef: branch,
      singleBranch: true,
      depth: 1,
      tags: false,
      onAuth,
      cache: this.cache,
    });
    return git.resolveRef({ fs, gitdir, ref: `refs/remotes/origin/${branch}` });
  }

  /**
   * The branch the repository's HEAD names (what a clone checks out), for
   * an environment that names no branch: reads use it, so writes must too.
   */
  async defaultBranch(): Promise<string> {
    const { url, onAuth } = this.options;
    this.defaultBranchName ??= this.withTimeout(async () => {
      const refs = await git.listServerRefs({
        http,
        url,
        onAuth,
        prefix: 'HEAD',
        symrefs: true,
      });
      const head = refs.find(ref => ref.ref === 'HEAD')?.target;
      if (!head?.startsWith('refs/heads/')) {
        throw new Error(`${redact(url)} names no default branch`);
      }
      return head.slice('refs/heads/'.length);
    }).catch(error => {
      this.defaultBranchName = undefined;
      throw error;
    });
    return this.defaultBranchName;
  }

  /** The text of a file at `commit`, or undefined when it does not exist. */
  async readFile(
    commit: string,
    filePath: string,
  ): Promise<string | undefined> {
    try {
      const { blob } = await git.readBlob({
        fs,
        gitdir: this.options.gitdir,
        oid: commit,
        filepath: filePath,
        cache: this.cache,
      });
      return Buffer.from(blob).toString('utf8');
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /** Paths of the files directly in `folder` at `commit`. */
  async listFiles(commit: string, folder: string): Promise<string[]> {
    try {
      const { tree } = await git.readTree({
        fs,
        gitdir: this.options.gitdir,
        oid: commit,
        filepath: folder || undefined,
        cache: this.cache,
      });
      return tree
        .filter(entry => entry.type === 'blob')
        .map(entry => (folder ? `${folder}/${entry.path}` : entry.path));
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') return [];
      throw error;
    }
  }

  /** Runs `read` against the freshly fetched head of `base`; writes nothing. */
  read<T>(base: string, read: (head: string) => Promise<T>): Promise<T> {
    return this.serialized(async () =>
      read(await this.withTimeout(() => this.fetchHead(base))),
    );
  }

  /** The commit a branch points at on the server, if the branch exists. */
  private async remoteBranch(branch: string): Promise<string | undefined> {
    const refs = await this.withTimeout(() =>
      git.listServerRefs({
        http,
        url: this.options.url,
        onAuth: this.options.onAuth,
        prefix: `refs/heads/${branch}`,
      }),
    );
    return refs.find(ref => ref.ref === `refs/heads/${branch}`)?.oid;
  }

  /** A new tree: `treeOid` with the blob placed at `segments`. */
  private async withFile(
    treeOid: string | undefined,
    segments: string[],
    blobOid: string,
  ): Promise<string> {
    const { gitdir } = this.options;
    const entries = treeOid
      ? (await git.readTree({ fs, gitdir, oid: treeOid, cache: this.cache }))
          .tree
      : [];
    const [name, ...rest] = segments;
    const existing = entries.find(entry => entry.path === name);
    const others = entries.filter(entry => entry.path !== name);
    const entry =
      rest.length === 0
        ? { mode: '100644', path: name, oid: blobOid, type: 'blob' as const }
        : {
            mode: '040000',
            path: name,
            oid: await this.withFile(
              existing?.type === 'tree' ? existing.oid : undefined,
              rest,
              blobOid,
            ),
            type: 'tree' as const,
          };
    return git.writeTree({ fs, gitdir, tree: [...others, entry] });
  }

  /**
   * Plans against the head of `base` and commits the plan to `base`, or to
   * the new branch the plan names. Re-plans on a moved branch, up to a few
   * times, then gives up with a ConflictError.
   */
  write(options: {
    base: string;
    author: CommitIdentity;
    plan: (head: string) => Promise<WritePlan>;
  }): Promise<WriteResult> {
    const { lock } = this.options;
    return this.serialized(() =>
      lock
        ? lock.run(this.options.url, () => this.writeNow(options))
        : this.writeNow(options),
    );
  }

  private async writeNow(options: {
    base: string;
    author: CommitIdentity;
    plan: (head: string) => Promise<WritePlan>;
  }): Promise<WriteResult> {
    const { gitdir, url, onAuth } = this.options;
    let target = options.base;
    let lastError: unknown;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.withTimeout(() => this.fetchHead(options.base));
      const plan = await options.plan(head);
      if (plan.kind === 'none') {
        return { branch: target, baseCommit: head, retries: attempt };
      }
      target = plan.branch ?? options.base;
      const branch = target;
      if (target !== options.base) {
        // Branches for review are named after their change: one change, one branch.
        const existing = await this.remoteBranch(target);
        if (existing) {
          return {
            commit: existing,
            branch: target,
            baseCommit: head,
            retries: attempt,
            existed: true,
          };
        }
      }
      let treeOid = (
        await git.readCommit({ fs, gitdir, oid: head, cache: this.cache })
      ).commit.tree;
      for (const file of plan.files) {
        const blob = await git.writeBlob({
          fs,
          gitdir,
          blob: Buffer.from(file.content, 'utf8'),
        });
        treeOid = await this.withFile(treeOid, segmentsOf(file.path), blob);
      }
      const now = Math.floor(Date.now() / 1000);
      const identity = {
        ...options.author,
        timestamp: now,
        timezoneOffset: 0,
      };
      const commit = await git.writeCommit({
        fs,
        gitdir,
        commit: {
          message: plan.message,
          tree: treeOid,
          parent: [head],
          author: identity,
          committer: identity,
        },
      });
      await git.writeRef({
        fs,
        gitdir,
        ref: `refs/heads/${branch}`,
        value: commit,
        force: true,
      });
      try {
        const result = await this.withTimeout(signal =>
          git.push({
            fs,
            http,
            gitdir,
            url,
            ref: branch,
            remoteRef: branch,
            onAuth,
            cache: this.cache,
            signal,
          }),
        );
        if (!result.ok) {
          throw Object.assign(new Error(result.error ?? 'push refused'), {
            name: 'GitPushError',
          });
        }
        return { commit, branch: target, baseCommit: head, retries: attempt };
      } catch (error) {
        if (!isMovedBranch(error)) throw error;
        lastError = error;
        // Someone else pushed first: back off a little, then re-plan on their commit.
        await new Promise(resolve =>
          setTimeout(resolve, 20 * 2 ** attempt * (0.5 + Math.random())),
        );
      }
    }
    throw new ConflictError(
      `Branch '${target}' of ${redact(
        url,
      )} kept moving; gave up after ${MAX_ATTEMPTS} attempts (${describeGitError(
        lastError,
      )})`,
    );
  }
}
