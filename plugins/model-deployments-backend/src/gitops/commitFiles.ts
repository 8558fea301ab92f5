import { GitRepository } from './GitRepository';

/**
 * A file to write in one commit: its path from the repository root and
 * content, or `deleted` to remove it (a rollback past the file's creation).
 */
export type FileChange =
  | { path: string; content: string }
  | { path: string; deleted: true };

/** The identity a commit is made as. */
export interface CommitIdentity {
  name: string;
  email: string;
}

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

/**
 * A new tree: `treeOid` with the blob placed at `segments`, or without the
 * file there when `blobOid` is undefined. Resolves to undefined for a tree
 * left empty, which Git does not keep.
 */
async function withFile(
  repo: GitRepository,
  treeOid: string | undefined,
  segments: string[],
  blobOid: string | undefined,
): Promise<string | undefined> {
  const entries = treeOid ? await repo.treeEntries(treeOid) : [];
  const [name, ...rest] = segments;
  const existing = entries.find(entry => entry.path === name);
  const others = entries.filter(entry => entry.path !== name);
  let entry;
  if (rest.length === 0) {
    entry = blobOid
      ? { mode: '100644', path: name, oid: blobOid, type: 'blob' as const }
      : undefined;
  } else {
    const subtree = await withFile(
      repo,
      existing?.type === 'tree' ? existing.oid : undefined,
      rest,
      blobOid,
    );
    entry = subtree
      ? { mode: '040000', path: name, oid: subtree, type: 'tree' as const }
      : undefined;
  }
  const next = entry ? [...others, entry] : others;
  return next.length > 0 ? repo.writeTree(next) : undefined;
}

/**
 * Writes a commit on top of `parent` that changes `files`, and points the
 * local `branch` at it; nothing is pushed. Resolves to the new commit.
 */
export async function commitFiles(
  repo: GitRepository,
  options: {
    parent: string;
    branch: string;
    files: FileChange[];
    message: string;
    author: CommitIdentity;
  },
): Promise<string> {
  let treeOid: string | undefined = (await repo.readCommit(options.parent))
    .tree;
  for (const file of options.files) {
    const blob =
      'deleted' in file ? undefined : await repo.writeBlob(file.content);
    treeOid = await withFile(repo, treeOid, segmentsOf(file.path), blob);
  }
  // Every file removed: the commit has the empty tree.
  treeOid ??= await repo.writeTree([]);
  const now = Math.floor(Date.now() / 1000);
  const identity = { ...options.author, timestamp: now, timezoneOffset: 0 };
  const commit = await repo.writeCommit({
    message: options.message,
    tree: treeOid,
    parent: [options.parent],
    author: identity,
    committer: identity,
  });
  await repo.writeRef(`refs/heads/${options.branch}`, commit);
  return commit;
}
