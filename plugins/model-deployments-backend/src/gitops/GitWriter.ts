import { ConflictError, isError } from '@backstage/errors';
import { AuthCallback } from 'isomorphic-git';
import { GitRepositoryError } from '../http/errors';
import { commitFiles, CommitIdentity, FileChange } from './commitFiles';
import { describeGitError, gitRepositoryError } from './gitErrors';
import { GitRepository, GitTimeoutError, unlessMissing } from './GitRepository';
import { redact } from './redact';
import { RepositoryLock } from './RepositoryLock';

export type { CommitIdentity, FileChange } from './commitFiles';

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

interface WriteRequest {
  base: string;
  author: CommitIdentity;
  plan: (head: string) => Promise<WritePlan>;
}

const MAX_ATTEMPTS = 6;

function isMovedBranch(error: unknown): boolean {
  // Refused as not fast-forward, by isomorphic-git's own check or the server.
  return (
    isError(error) &&
    (error.name === 'PushRejectedError' || error.name === 'GitPushError')
  );
}

/** How a writer reaches its repository. */
export interface GitWriterOptions {
  url: string;
  /** Directory for this writer's Git data, apart from the read mirror. */
  gitdir: string;
  onAuth?: AuthCallback;
  /** Upper bound for one fetch or push. */
  timeoutMs: number;
  /** Turns with the other replicas' writers of this repository; none in one process. */
  lock?: RepositoryLock;
  /** Told of every commit pushed, e.g. to tell the other replicas. */
  onPushed?: (push: {
    repoUrl: string;
    branch: string;
    commit: string;
  }) => void;
}

/**
 * Writes commits to one repository without a working tree: fetches the
 * branch head, lets the caller plan the change against the files there,
 * writes blobs, trees and a commit, and pushes. When the branch moved in the
 * meantime (another writer won), it fetches again and re-plans, so nothing
 * is lost and history stays linear. Writers in this process take turns.
 */
export class GitWriter {
  private readonly repo: GitRepository;
  private defaultBranchName?: Promise<string>;

  constructor(private readonly options: GitWriterOptions) {
    this.repo = new GitRepository(options);
  }

  /** Runs one request to the server within the timeout, its failure told briefly. */
  private async askServer<T>(
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.repo.bounded(work);
    } catch (error) {
      const { url, timeoutMs } = this.options;
      if (error instanceof GitTimeoutError) {
        throw new GitRepositoryError(
          `Cannot reach Git repository ${redact(
            url,
          )}: no answer within ${timeoutMs} ms`,
        );
      }
      // A moved branch is retried by `write`; everything else is told briefly.
      if (isMovedBranch(error)) throw error;
      throw gitRepositoryError(url, error);
    }
  }

  /** Fetches `branch` and resolves to its head commit. */
  private fetchHead(branch: string): Promise<string> {
    return this.askServer(async signal => {
      if (!this.repo.exists()) await this.repo.init(branch);
      await this.repo.fetch(
        { ref: branch, remoteRef: branch, depth: 1 },
        signal,
      );
      return this.repo.resolveRef(`refs/remotes/origin/${branch}`);
    });
  }

  /**
   * The branch the repository's HEAD names (what a clone checks out), for
   * an environment that names no branch: reads use it, so writes must too.
   */
  async defaultBranch(): Promise<string> {
    this.defaultBranchName ??= this.askServer(async signal => {
      const refs = await this.repo.listServerRefs(
        { prefix: 'HEAD', symrefs: true },
        signal,
      );
      const head = refs.find(ref => ref.ref === 'HEAD')?.target;
      if (!head?.startsWith('refs/heads/')) {
        throw new Error(`${redact(this.options.url)} names no default branch`);
      }
      return head.slice('refs/heads/'.length);
    }).catch(error => {
      this.defaultBranchName = undefined;
      throw error;
    });
    return this.defaultBranchName;
  }

  /** The text of a file at `commit`, or undefined when it does not exist. */
  readFile(commit: string, filePath: string): Promise<string | undefined> {
    return unlessMissing(this.repo.readText(commit, filePath));
  }

  /** Paths of the files directly in `folder` at `commit`. */
  async listFiles(commit: string, folder: string): Promise<string[]> {
    const found = await unlessMissing(
      this.repo.readTree(commit, folder || undefined),
    );
    return (found?.tree ?? [])
      .filter(entry => entry.type === 'blob')
      .map(entry => (folder ? `${folder}/${entry.path}` : entry.path));
  }

  /** Runs `read` against the freshly fetched head of `base`; writes nothing. */
  read<T>(base: string, read: (head: string) => Promise<T>): Promise<T> {
    return this.repo.exclusive(async () => read(await this.fetchHead(base)));
  }

  /** The commit a branch points at on the server, if the branch exists. */
  private async remoteBranch(branch: string): Promise<string | undefined> {
    const refs = await this.askServer(signal =>
      this.repo.listServerRefs({ prefix: `refs/heads/${branch}` }, signal),
    );
    return refs.find(ref => ref.ref === `refs/heads/${branch}`)?.oid;
  }

  /**
   * Plans against the head of `base` and commits the plan to `base`, or to
   * the new branch the plan names. Re-plans on a moved branch, up to a few
   * times, then gives up with a ConflictError.
   */
  write(request: WriteRequest): Promise<WriteResult> {
    const { lock, url } = this.options;
    return this.repo.exclusive(() =>
      lock
        ? lock.run(url, () => this.writeNow(request))
        : this.writeNow(request),
    );
  }

  private async writeNow(request: WriteRequest): Promise<WriteResult> {
    let target = request.base;
    let lastError: unknown;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.fetchHead(request.base);
      const plan = await request.plan(head);
      if (plan.kind === 'none') {
        return { branch: target, baseCommit: head, retries: attempt };
      }
      target = plan.branch ?? request.base;
      const branch = target;
      if (target !== request.base) {
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
      const commit = await commitFiles(this.repo, {
        parent: head,
        branch,
        files: plan.files,
        message: plan.message,
        author: request.author,
      });
      try {
        const result = await this.askServer(signal =>
          this.repo.push(branch, signal),
        );
        if (!result.ok) {
          throw Object.assign(new Error(result.error ?? 'push refused'), {
            name: 'GitPushError',
          });
        }
        this.options.onPushed?.({
          repoUrl: this.options.url,
          branch,
          commit,
        });
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
        this.options.url,
      )} kept moving; gave up after ${MAX_ATTEMPTS} attempts (${describeGitError(
        lastError,
      )})`,
    );
  }
}
