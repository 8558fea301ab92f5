import { GitOpsSource } from '@seed-mlops/plugin-model-deployments-common';
import { folderOf, mirrorKeyOf } from './gitSources';

/**
 * What is read once per repository commit and folder, then shared by every
 * view: the parsed folder, its history. Only each repository's current
 * commit is kept.
 */
export class FolderCache {
  /** Each folder's reads at its repository's current commit, by what was read. */
  private readonly entries = new Map<string, Map<string, Promise<unknown>>>();

  /**
   * The result of `read` for the source's folder at `commit`, read once;
   * a failed read is tried again by the next caller.
   */
  readOnce<T>(
    source: GitOpsSource,
    commit: string,
    what: 'parsed' | 'history',
    read: () => Promise<T>,
  ): Promise<T> {
    const entry = this.entryAt(source, commit);
    let result = entry.get(what) as Promise<T> | undefined;
    if (!result) {
      result = read();
      entry.set(what, result);
      result.catch(() => {
        entry.delete(what);
      });
    }
    return result;
  }

  /** The entry of the source's folder at `commit`, dropping older commits'. */
  private entryAt(source: GitOpsSource, commit: string) {
    const repoKey = mirrorKeyOf(source);
    const key = `${repoKey}@${commit}:${folderOf(source)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      for (const old of this.entries.keys()) {
        if (old.startsWith(`${repoKey}@`) && !old.includes(`@${commit}:`)) {
          this.entries.delete(old);
        }
      }
      entry = new Map();
      this.entries.set(key, entry);
    }
    return entry;
  }
}
