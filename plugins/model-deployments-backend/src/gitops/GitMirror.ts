import fs from 'fs';
import git, { AuthCallback } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

/** A file of the mirrored repository. */
export interface GitFile {
  /** Path from the repository root, with `/` separators. */
  path: string;
  content: string;
}

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
    const { url, gitdir, depth, onAuth, timeoutMs } = this.options;
    const exists = fs.existsSync(`${gitdir}/HEAD`);
    const work = exists
      ? git.fetch({
          fs,
          http,
          gitdir,
          url,
          ref: this.options.branch,
          singleBranch: true,
          depth,
          tags: false,
          prune: true,
          onAuth,
          cache: this.cache,
        })
      : (async () => {
          fs.mkdirSync(gitdir, { recursive: true });
          await git.clone({
            fs,
            http,
            dir: gitdir,
            gitdir,
            url,
            ref: this.options.branch,
            singleBranch: true,
            depth,
            noCheckout: true,
            noTags: true,
            onAuth,
            cache: this.cache,
          });
        })();
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

  /** Every file below `folder` ('' for the root) at `commit`. */
  async readFolder(commit: string, folder: string): Promise<GitFile[]> {
    const { gitdir } = this.options;
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    const files: GitFile[] = [];
    const walk = async (treeOid: string, base: string) => {
      const { tree } = await git.readTree({
        fs,
        gitdir,
        oid: treeOid,
        cache: this.cache,
      });
      for (const entry of tree) {
        const entryPath = base ? `${base}/${entry.path}` : entry.path;
        if (entry.type === 'tree') {
          await walk(entry.oid, entryPath);
        } else if (entry.type === 'blob') {
          const { blob } = await git.readBlob({
            fs,
            gitdir,
            oid: entry.oid,
            cache: this.cache,
          });
          files.push({
            path: entryPath,
            content: Buffer.from(blob).toString('utf8'),
          });
        }
      }
    };
    let rootTree: string;
    try {
      rootTree = (
        await git.readTree({
          fs,
          gitdir,
          oid: commit,
          filepath: prefix || undefined,
          cache: this.cache,
        })
      ).oid;
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') {
        return [];
      }
      throw error;
    }
    await walk(rootTree, prefix);
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }
}
