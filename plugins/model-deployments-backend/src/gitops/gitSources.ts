import { createHash } from 'crypto';
import path from 'path';
import { GitOpsSource } from '@seed-mlops/plugin-model-deployments-common';

/** The key of the source's read mirror: one per repository and branch. */
export function mirrorKeyOf(source: GitOpsSource) {
  return `${source.repoUrl}#${source.branch ?? ''}`;
}

/** The folder without surrounding slashes; '' for the repository root. */
export function folderOf(source: GitOpsSource) {
  // Config reading and discovery default the path (Seldon's layout: the namespace).
  return (source.path ?? '').replace(/^\/+|\/+$/g, '');
}

/** The key of the source's folder, whatever the commit. */
export function folderKeyOf(source: GitOpsSource) {
  return `${mirrorKeyOf(source)}:${folderOf(source)}`;
}

/** A directory name for the repository's Git data. */
export function gitDirOf(
  cacheDir: string,
  source: GitOpsSource,
  kind: 'read' | 'write',
) {
  // Reads mirror one branch; a writer serves every branch of its repository.
  const digest = createHash('sha256')
    .update(kind === 'read' ? mirrorKeyOf(source) : source.repoUrl)
    .digest('hex')
    .slice(0, 16);
  return path.join(cacheDir, kind === 'read' ? digest : `write-${digest}`);
}
