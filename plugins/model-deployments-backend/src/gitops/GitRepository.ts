import fs from 'fs';
import git, {
  AuthCallback,
  CommitObject,
  HttpClient,
  ReadTreeResult,
  TreeEntry,
} from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

/** Git work that did not settle in time; the work itself may still be running. */
export class GitTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number) {
    super(`Git did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Resolves as `work` does, or rejects with a {@link GitTimeoutError} after
 * `timeoutMs`. Then `signal` aborts; work that does not heed it runs on.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new GitTimeoutError(timeoutMs));
      controller.abort();
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `read` finds, or undefined when Git has no such object or path. */
export async function unlessMissing<T>(
  read: Promise<T>,
): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if ((error as Error).name === 'NotFoundError') return undefined;
    throw error;
  }
}

/** The HTTP client of isomorphic-git, its requests aborted by `signal`. */
function httpFor(signal?: AbortSignal): HttpClient {
  return signal
    ? { request: request => http.request({ ...request, signal }) }
    : http;
}

/**
 * One local Git directory of one remote repository, kept with isomorphic-git
 * (the Git client Backstage itself uses) and never checked out: files are
 * read straight from the Git objects of a commit, so no working tree is
 * written and readers never see a half-updated checkout. Work that writes
 * the directory (a fetch, clone or new commit) takes turns.
 */
export class GitRepository {
  // Shares parsed packfiles between calls; isomorphic-git's documented way to speed up reads.
  private readonly cache = {};
  private turns: Promise<unknown> = Promise.resolve();
  /** Work started by `bounded` that has not settled, perhaps after its caller stopped waiting. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      url: string;
      /** Directory holding the repository's Git data. */
      gitdir: string;
      onAuth?: AuthCallback;
      /** Upper bound for one Git request. */
      timeoutMs: number;
    },
  ) {}

  /**
   * Runs `work` after every earlier turn has finished, including work those
   * turns left running when it timed out: it may still write the directory.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.turns.then(work);
    this.turns = turn
      .catch(() => undefined)
      .then(() => Promise.allSettled([...this.running]));
    return turn;
  }

  /**
   * Runs `work` within the timeout. The turn it is part of ends only once it
   * has settled, so never call `exclusive` from `work`.
   */
  bounded<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withTimeout(this.options.timeoutMs, signal => {
      const run = work(signal);
      this.running.add(run);
      const done = () => this.running.delete(run);
      run.then(done, done);
      return run;
    });
  }

  /** True once the directory holds a repository. */
  exists(): boolean {
    return fs.existsSync(`${this.options.gitdir}/HEAD`);
  }

  /** Starts an empty repository fetching from the remote as `origin`. */
  async init(defaultBranch: string): Promise<void> {
    const { gitdir, url } = this.options;
    fs.mkdirSync(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true, defaultBranch });
    await git.addRemote({ fs, gitdir, remote: 'origin', url });
  }

  /** Clones one branch (the default one without `ref`), without checking it out. */
  async clone(options: { ref?: string; depth: number }): Promise<void> {
    const { gitdir, url, onAuth } = this.options;
    fs.mkdirSync(gitdir, { recursive: true });
    await git.clone({
      fs,
      http,
      dir: gitdir,
      gitdir,
      url,
      ...options,
      singleBranch: true,
      noCheckout: true,
      noTags: true,
      onAuth,
      cache: this.cache,
    });
  }

  /** Fetches one branch into `refs/remotes/origin/`, without tags. */
  async fetch(
    options: { ref?: string; remoteRef?: string; depth: number; prune?: true },
    signal?: AbortSignal,
  ): Promise<void> {
    const { gitdir, url, onAuth } = this.options;
    await git.fetch({
      fs,
      http: httpFor(signal),
      gitdir,
      url,
      ...options,
      singleBranch: true,
      tags: false,
      onAuth,
      cache: this.cache,
    });
  }

  /** Pushes the local `branch` to the remote branch of that name. */
  push(branch: string, signal?: AbortSignal) {
    const { gitdir, url, onAuth } = this.options;
    return git.push({
      fs,
      http,
      gitdir,
      url,
      ref: branch,
      remoteRef: branch,
      onAuth,
      cache: this.cache,
      signal,
    });
  }

  /** The refs of the remote repository below `prefix`. */
  listServerRefs(
    options: { prefix: string; symrefs?: boolean },
    signal?: AbortSignal,
  ) {
    const { url, onAuth } = this.options;
    return git.listServerRefs({
      http: httpFor(signal),
      url,
      onAuth,
      ...options,
    });
  }

  resolveRef(ref: string): Promise<string> {
    return git.resolveRef({ fs, gitdir: this.options.gitdir, ref });
  }

  /** The tree of a commit or tree, or of its subfolder `filepath`. */
  readTree(oid: string, filepath?: string): Promise<ReadTreeResult> {
    const { gitdir } = this.options;
    return git.readTree({ fs, gitdir, oid, filepath, cache: this.cache });
  }

  async treeEntries(oid: string): Promise<TreeEntry[]> {
    return (await this.readTree(oid)).tree;
  }

  async readCommit(oid: string): Promise<CommitObject> {
    const { gitdir } = this.options;
    return (await git.readCommit({ fs, gitdir, oid, cache: this.cache }))
      .commit;
  }

  /** A blob as UTF-8 text: by its id, or as the file `filepath` of a commit or tree. */
  async readText(oid: string, filepath?: string): Promise<string> {
    const { gitdir } = this.options;
    const { blob } = await git.readBlob({
      fs,
      gitdir,
      oid,
      filepath,
      cache: this.cache,
    });
    return Buffer.from(blob).toString('utf8');
  }

  writeBlob(content: string): Promise<string> {
    const blob = Buffer.from(content, 'utf8');
    return git.writeBlob({ fs, gitdir: this.options.gitdir, blob });
  }

  writeTree(tree: TreeEntry[]): Promise<string> {
    return git.writeTree({ fs, gitdir: this.options.gitdir, tree });
  }

  writeCommit(commit: CommitObject): Promise<string> {
    return git.writeCommit({ fs, gitdir: this.options.gitdir, commit });
  }

  /** Points the local `ref` at `value`, wherever it pointed before. */
  async writeRef(ref: string, value: string): Promise<void> {
    const { gitdir } = this.options;
    await git.writeRef({ fs, gitdir, ref, value, force: true });
  }
}
