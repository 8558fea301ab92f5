import isGitRefNameValid from 'is-git-ref-name-valid';
import { quoteValue } from './values';

/**
 * Longest GitOps folder accepted; far beyond any real layout.
 *
 * @public
 */
export const MAX_GITOPS_PATH_LENGTH = 200;
/**
 * Longest branch name accepted.
 *
 * @public
 */
export const MAX_BRANCH_LENGTH = 200;
/**
 * Longest repository URL accepted.
 *
 * @public
 */
export const MAX_REPO_URL_LENGTH = 2048;

/**
 * Why `branch` is not a branch name by `git check-ref-format --branch`
 * rules, or undefined when it is one.
 *
 * @public
 */
export function branchNameProblem(branch: string): string | undefined {
  if (branch.length === 0) return 'must not be empty';
  if (branch.length > MAX_BRANCH_LENGTH) {
    return `must be at most ${MAX_BRANCH_LENGTH} characters`;
  }
  // `git check-ref-format --branch` refuses these two on top of the ref rules.
  if (branch === 'HEAD') return "'HEAD' is not a branch name";
  if (branch.startsWith('-')) return 'must not start with "-"';
  if (!isGitRefNameValid(`refs/heads/${branch}`)) {
    return `${quoteValue(
      branch,
    )} is not a valid branch name (see git check-ref-format: no "..", "//", "@{", ".lock" endings, control characters, spaces or any of ~^:?*[\\)`;
  }
  return undefined;
}

/**
 * The folder as a normalized path relative to the repository root: no
 * leading, trailing or doubled slashes, no `.` segments; `''` is the root.
 * Returns a problem instead when the path leaves the repository, reaches
 * Git's own data, or holds characters no sync tool handles.
 *
 * @public
 */
export function normalizeGitOpsPath(
  path: string,
): { path: string } | { problem: string } {
  if (path.length > MAX_GITOPS_PATH_LENGTH) {
    return { problem: `must be at most ${MAX_GITOPS_PATH_LENGTH} characters` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    return { problem: 'must not contain control characters' };
  }
  if (path.includes('\\')) {
    return { problem: 'must use "/" between folders, not "\\"' };
  }
  const segments = path.split('/').filter(s => s !== '' && s !== '.');
  if (segments.includes('..')) {
    return { problem: 'must stay inside the repository (no ".." segment)' };
  }
  // Case-insensitive: on macOS and Windows checkouts `.GIT` is `.git`.
  if (segments.some(s => s.toLowerCase() === '.git')) {
    return { problem: 'must not reach Git\'s own data (a ".git" segment)' };
  }
  return { path: segments.join('/') };
}

/**
 * Why `repoUrl` cannot be a GitOps repository URL, or undefined. Only the
 * URL's form is checked here; which hosts may be reached is the backend's
 * configuration.
 *
 * @public
 */
export function repoUrlProblem(repoUrl: string): string | undefined {
  if (repoUrl.length > MAX_REPO_URL_LENGTH) {
    return `must be at most ${MAX_REPO_URL_LENGTH} characters`;
  }
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    return `${quoteValue(repoUrl)} is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'only http(s) URLs are supported';
  }
  if (url.username || url.password) {
    // They would be stored in a namespace annotation that every user reads.
    return 'must not contain credentials; configure them under integrations';
  }
  if (url.search || url.hash) {
    return 'must not have a query or fragment';
  }
  return undefined;
}

/**
 * The parts of a GitOps source that say where its manifests live.
 *
 * @public
 */
export interface GitOpsTarget {
  repoUrl: string;
  branch?: string;
  path?: string;
}

/**
 * The repository, branch and folder a source writes, normalized for
 * comparison: percent-escapes decoded, in lower case, no doubled slashes, no
 * trailing `.git` or `/`, an unset branch as `main` (what promotions write
 * to when no branch is set). Erring towards "the same" refuses a folder of
 * its own at worst; erring the other way lets one environment write another's.
 */
function targetOf(target: GitOpsTarget) {
  let repo = target.repoUrl.trim();
  try {
    const url = new URL(repo);
    let pathname = url.pathname;
    try {
      // Git servers decode the path: `production%2Dmodels` is `production-models`.
      pathname = decodeURIComponent(pathname);
    } catch {
      // Malformed escapes: compared as written.
    }
    repo = `${url.protocol}//${url.host}${pathname.replace(/\/{2,}/g, '/')}`;
  } catch {
    // Compared as written.
  }
  // Hosts such as GitHub ignore case in repository paths; so does this check.
  repo = repo
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  const normalized = normalizeGitOpsPath(target.path ?? '');
  return {
    repo,
    branch: target.branch ?? 'main',
    segments:
      'path' in normalized && normalized.path ? normalized.path.split('/') : [],
  };
}

/**
 * Whether two GitOps sources share a repository and branch and one's folder
 * is the other's or inside it: whoever writes one would write the other's
 * desired state.
 *
 * @public
 */
export function gitopsTargetsOverlap(a: GitOpsTarget, b: GitOpsTarget) {
  const x = targetOf(a);
  const y = targetOf(b);
  if (x.repo !== y.repo || x.branch !== y.branch) return false;
  const shorter = x.segments.length <= y.segments.length ? x : y;
  const longer = shorter === x ? y : x;
  return shorter.segments.every((s, i) => longer.segments[i] === s);
}
