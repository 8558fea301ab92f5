import { AuthCallback } from 'isomorphic-git';
import { FolderHistory, folderHistory, folderTree } from './folderHistory';
import { GitRepository, withTimeout } from './GitRepository';

export type { FolderHistory, RawCommit } from './folderHistory';

/** A file of the mirrored repository. */
export interface GitFile {
  /** Path from the repository root, with `/` separators. */
  path: string;
  content: string;
}

/**
 * A local, object-only mirror of one branch of a Git repository (see
 * {@link GitRepository}): cloned shallowly once, then fetched.
 */
export class GitMirror {
  private readonly repo: GitRepository;

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
  ) {
    this.repo = new GitRepository(options);
  }

  /** Clones or fetches; resolves to the commit the branch points at. */
  async sync(): Promise<string> {
    // A fetch that timed out keeps running; the next one must not write the
    // same Git directory at the same time, so it waits, within its own timeout.
    await withTimeout(this.options.timeoutMs, () =>
      this.repo.exclusive(() => this.transfer()),
    );
    return this.head();
  }

  private async transfer(): Promise<void> {
    const { depth, branch } = this.options;
    if (this.repo.exists()) {
      await this.repo.fetch({ ref: branch, depth, prune: true });
    } else {
      await this.repo.clone({ ref: branch, depth });
    }
  }

  /** The commit the mirrored branch points at. */
  async head(): Promise<string> {
    const { branch } = this.options;
    try {
      return await this.repo.resolveRef(
        branch ? `refs/remotes/origin/${branch}` : 'HEAD',
      );
    } catch {
      // A fresh clone of the default branch records it locally only.
      return this.repo.resolveRef('HEAD');
    }
  }

  /**
   * Which commits changed which files below `folder`, walking back from
   * `head` along first parents; see {@link folderHistory}.
   */
  folderHistory(
    head: string,
    folder: string,
    maxCommits: number,
    until?: string,
  ): Promise<FolderHistory> {
    return folderHistory(this.repo, head, folder, maxCommits, until);
  }

  /** The files below `folder` ('' for the root) at `commit`, with their blob ids, without reading them. */
  async listFolder(
    commit: string,
    folder: string,
  ): Promise<Array<{ path: string; oid: string }>> {
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    const files: Array<{ path: string; oid: string }> = [];
    const walk = async (treeOid: string, base: string) => {
      for (const entry of await this.repo.treeEntries(treeOid)) {
        const entryPath = base ? `${base}/${entry.path}` : entry.path;
        if (entry.type === 'tree') {
          await walk(entry.oid, entryPath);
        } else if (entry.type === 'blob') {
          files.push({ path: entryPath, oid: entry.oid });
        }
      }
    };
    const root = await folderTree(this.repo, commit, prefix);
    if (root) await walk(root, prefix);
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The content of a blob, as UTF-8 text. */
  readText(oid: string): Promise<string> {
    return this.repo.readText(oid);
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
