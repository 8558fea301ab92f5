import { TreeEntry } from 'isomorphic-git';
import { GitRepository, unlessMissing } from './GitRepository';

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

/** The tree of `folder` at `commit`, or undefined when the folder does not exist there. */
export async function folderTree(
  repo: GitRepository,
  commit: string,
  folder: string,
): Promise<string | undefined> {
  return (await unlessMissing(repo.readTree(commit, folder || undefined)))?.oid;
}

/** Files that differ between two trees; equal subtrees are skipped by their ids. */
async function diffTrees(
  repo: GitRepository,
  before: string | undefined,
  after: string | undefined,
  base: string,
  changed: string[],
): Promise<void> {
  if (before === after) return;
  const [beforeEntries, afterEntries] = await Promise.all([
    before ? repo.treeEntries(before) : [],
    after ? repo.treeEntries(after) : [],
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
      await diffTrees(repo, oldTree, nowTree, entryPath, changed);
    }
    const [oldBlob, nowBlob] = [oidOf(old, 'blob'), oidOf(now, 'blob')];
    if (oldBlob !== nowBlob) changed.push(entryPath);
  }
}

/**
 * Which commits changed which files below `folder`, walking back from
 * `head` along first parents: for a GitOps branch that is when a change
 * landed, merge commits included. Stops after `maxCommits`, at the end
 * of the kept history, or at `until` (a commit whose history is known).
 */
export async function folderHistory(
  repo: GitRepository,
  head: string,
  folder: string,
  maxCommits: number,
  until?: string,
): Promise<FolderHistory> {
  // Beyond a shallow clone's boundary a commit is missing.
  const readCommit = (sha: string) => unlessMissing(repo.readCommit(sha));
  const prefix = folder.replace(/^\/+|\/+$/g, '');
  const history: FolderHistory = {
    commits: [],
    changes: new Map(),
    complete: true,
    reachedUntil: false,
  };
  let sha: string | undefined = head;
  let commit = await readCommit(head);
  let tree = await folderTree(repo, head, prefix);
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
    const parent = parentSha ? await readCommit(parentSha) : undefined;
    if (parentSha && !parent) {
      // What the boundary commit changed cannot be told without its parent.
      history.complete = false;
      break;
    }
    const parentTree = parentSha
      ? await folderTree(repo, parentSha, prefix)
      : undefined;
    const changed: string[] = [];
    await diffTrees(repo, parentTree, tree, prefix, changed);
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
