import fs from 'fs';
import git, { AuthCallback } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

/** A file of the mirrored repository. */
export interface GitFile {
  /** Path from the repository root, with `/` separators. */
  path: string;
  content: string;
}

/** A commit as stored, before it is read for people. */
export interface RawCommit {
  sha: string;
  message: string;
  author: { name: string; email: string };
  /** Committer time, seconds since the epoch. */
  committedAt: number;
}

/** What a walk of a folder's history found, newest commit first. */
export interface FolderHistory {
  /** Commits of the first-parent chain that changed something in the folder. */
  commits: RawCommit[];
  /** For each changed file (from the repository root), indexes into `commits`, newest first. */
  changes: Map<string, number[]>;
  /** False when the walk stopped at the kept history's end before the first commit. */
  complete: boolean;
  /** True when the walk stopped at the `until` commit. */
  reachedUntil: boolean;
}

type TreeEntry = { path: string; oid: string; type: string };

/**
 * A local, object-only mirror of one branch of a Git repository, kept with
 * isomorphic-git (the Git client Backstage itself uses): cloned shallowly
 * once, then fetched. Files are read straight from the Git objects of a
 * commit, so no working tree is written and readers never see a half-updated
 * checkout.
 */
export class GitMirror {
  // Shares parsed packfiles between calls; isomorphic-git's documented way to speed up reads.
  private readonly cache = {};
  /** The last clone or fetch, which may outlive its timeout. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      url: string;
      branch?: string;
      /** Directory holding the mirror's Git data. */
      gitdir: string;
      /** Commits of history to keep; history views page within them. */
      depth: number;
      onAuth?: AuthCallback;
      /** Upper bound for one clone or fetch. */
      timeoutMs: number;
    },
  ) {}

  /** Clones or fetches; resolves to the commit the branch points at. */
  async sync(): Promise<string> {
    const { timeoutMs } = this.options;
    // A fetch that timed out keeps running; the next one must not write the
    // same Git directory at the same time, so it waits, within its own timeout.
    const work = this.running
      .catch(() => undefined)
      .then(() => this.transfer());
    this.running = work;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(
              new Error(`Git did not answer within ${timeoutMs} ms`),
              {
                code: 'ETIMEDOUT',
              },
            ),
          ),
        timeoutMs,
      );
      timer.unref?.();
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.head();
  }

  private async transfer(): Promise<void> {
    const { url, gitdir, depth, onAuth, branch } = this.options;
    if (fs.existsSync(`${gitdir}/HEAD`)) {
      await git.fetch({
        fs,
        http,
        gitdir,
        url,
        ref: branch,
        singleBranch: true,
        depth,
        tags: false,
        prune: true,
        onAuth,
        cache: this.cache,
      });
      return;
    }
    fs.mkdirSync(gitdir, { recursive: true });
    await git.clone({
      fs,
      http,
      dir: gitdir,
      gitdir,
      url,
      ref: branch,
      singleBranch: true,
      depth,
      noCheckout: true,
      noTags: true,
      onAuth,
      cache: this.cache,
    });
  }

  /** The commit the mirrored branch points at. */
  async head(): Promise<string> {
    const { gitdir } = this.options;
    const ref = this.options.branch
      ? `refs/remotes/origin/${this.options.branch}`
      : 'HEAD';
    try {
      return await git.resolveRef({ fs, gitdir, ref });
    } catch {
      // A fresh clone of the default branch records it locally only.
      return git.resolveRef({ fs, gitdir, ref: 'HEAD' });
    }
  }

  private async treeEntries(oid: string): Promise<TreeEntry[]> {
    const { tree } = await git.readTree({
      fs,
      gitdir: this.options.gitdir,
      oid,
      cache: this.cache,
    });
    return tree;
  }

  /** The tree of `folder` at `commit`, or undefined when the folder does not exist there. */
  private async folderTree(
    commit: string,
    folder: string,
  ): Promise<string | undefined> {
    try {
      return (
        await git.readTree({
          fs,
          gitdir: this.options.gitdir,
          oid: commit,
          filepath: folder || undefined,
          cache: this.cache,
        })
      ).oid;
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /** Files that differ between two trees; equal subtrees are skipped by their ids. */
  private async diffTrees(
    before: string | undefined,
    after: string | undefined,
    base: string,
    changed: string[],
  ): Promise<void> {
    if (before === after) return;
    const [beforeEntries, afterEntries] = await Promise.all([
      before ? this.treeEntries(before) : [],
      after ? this.treeEntries(after) : [],
    ]);
    const pairs = new Map<string, [TreeEntry?, TreeEntry?]>();
    for (const entry of beforeEntries) pairs.set(entry.path, [entry]);
    for (const entry of afterEntries) {
      pairs.set(entry.path, [pairs.get(entry.path)?.[0], entry]);
    }
    for (const [name, [old, now]] of pairs) {
      const entryPath = base ? `${base}/${name}` : name;
      const oidOf = (entry: TreeEntry | undefined, type: string) =>
        entry?.type === type ? entry.oid : undefined;
      const [oldTree, nowTree] = [oidOf(old, 'tree'), oidOf(now, 'tree')];
      if (oldTree !== nowTree) {
        await this.diffTrees(oldTree, nowTree, entryPath, changed);
      }
      const [oldBlob, nowBlob] = [oidOf(old, 'blob'), oidOf(now, 'blob')];
      if (oldBlob !== nowBlob) changed.push(entryPath);
    }
  }

  private async readCommit(sha: string) {
    try {
      return (
        await git.readCommit({
          fs,
          gitdir: this.options.gitdir,
          oid: sha,
          cache: this.cache,
        })
      ).commit;
    } catch (error) {
      // Beyond a shallow clone's boundary.
      if ((error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /**
   * Which commits changed which files below `folder`, walking back from
   * `head` along first parents: for a GitOps branch that is when a change
   * landed, merge commits included. Stops after `maxCommits`, at the end
   * of the kept history, or at `until` (a commit whose history is known).
   */
  async folderHistory(
    head: string,
    folder: string,
    maxCommits: number,
    until?: string,
  ): Promise<FolderHistory> {
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    const history: FolderHistory = {
      commits: [],
      changes: new Map(),
      complete: true,
      reachedUntil: false,
    };
    let sha: string | undefined = head;
    let commit = await this.readCommit(head);
    let tree = await this.folderTree(head, prefix);
    for (let walked = 0; commit && sha; walked++) {
      if (sha === until) {
        history.reachedUntil = true;
        break;
      }
      const parentSha: string | undefined = commit.parent[0];
      if (walked >= maxCommits) {
        history.complete = false;
        break;
      }
      const parent = parentSha ? await this.readCommit(parentSha) : undefined;
      if (parentSha && !parent) {
        // What the boundary commit changed cannot be told without its parent.
        history.complete = false;
        break;
      }
      const parentTree = parentSha
        ? await this.folderTree(parentSha, prefix)
        : undefined;
      const changed: string[] = [];
      await this.diffTrees(parentTree, tree, prefix, changed);
      if (changed.length > 0) {
        const index =
          history.commits.push({
            sha,
            message: commit.message,
            author: { name: commit.author.name, email: commit.author.email },
            committedAt: commit.committer.timestamp,
          }) - 1;
        for (const file of changed) {
          const indexes = history.changes.get(file);
          if (indexes) indexes.push(index);
          else history.changes.set(file, [index]);
        }
      }
      sha = parentSha;
      commit = parent;
      tree = parentTree;
    }
    return history;
  }

  /** The files below `folder` ('' for the root) at `commit`, with their blob ids, without reading them. */
  async listFolder(
    commit: string,
    folder: string,
  ): Promise<Array<{ path: string; oid: string }>> {
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    const files: Array<{ path: string; oid: string }> = [];
    const walk = async (treeOid: string, base: string) => {
      for (const entry of await this.treeEntries(treeOid)) {
        const entryPath = base ? `${base}/${entry.path}` : entry.path;
        if (entry.type === 'tree') {
          await walk(entry.oid, entryPath);
        } else if (entry.type === 'blob') {
          files.push({ path: entryPath, oid: entry.oid });
        }
      }
    };
    const root = await this.folderTree(commit, prefix);
    if (root) await walk(root, prefix);
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The content of a blob, as UTF-8 text. */
  async readText(oid: string): Promise<string> {
    const { blob } = await git.readBlob({
      fs,
      gitdir: this.options.gitdir,
      oid,
      cache: this.cache,
    });
    return Buffer.from(blob).toString('utf8');
  }

  /** Every file below `folder` ('' for the root) at `commit`. */
  async readFolder(commit: string, folder: string): Promise<GitFile[]> {
    const files = await this.listFolder(commit, folder);
    return Promise.all(
      files.map(async ({ path, oid }) => ({
        path,
        content: await this.readText(oid),
      })),
    );
  }
}
