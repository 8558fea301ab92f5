import { GitRepository } from './GitRepository';

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

/** A new tree: `treeOid` with the blob placed at `segments`. */
async function withFile(
  repo: GitRepository,
  treeOid: string | undefined,
  segments: string[],
  blobOid: string,
): Promise<string> {
  const entries = treeOid ? await repo.treeEntries(treeOid) : [];
  const [name, ...rest] = segments;
  const existing = entries.find(entry => entry.path === name);
  const others = entries.filter(entry => entry.path !== name);
  const entry =
    rest.length === 0
      ? { mode: '100644', path: name, oid: blobOid, type: 'blob' as const }
      : {
          mode: '040000',
          path: name,
          oid: await withFile(
            repo,
            existing?.type === 'tree' ? existing.oid : undefined,
            rest,
            blobOid,
          ),
          type: 'tree' as const,
        };
  return repo.writeTree([...others, entry]);
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
  let treeOid = (await repo.readCommit(options.parent)).tree;
  for (const file of options.files) {
    const blob = await repo.writeBlob(file.content);
    treeOid = await withFile(repo, treeOid, segmentsOf(file.path), blob);
  }
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
