import { ScmIntegrationRegistry } from '@backstage/integration';

/**
 * The web page of a commit, on the hosts whose URL layout is known from the
 * `integrations` config (github.com and gitlab.com are always known).
 * Credentials written into the repository URL are left out.
 */
export function commitUrlFor(
  integrations: ScmIntegrationRegistry | undefined,
  repoUrl: string,
): ((sha: string) => string) | undefined {
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    return undefined; // e.g. git@host:org/repo.git
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const base = url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  switch (integrations?.byUrl(repoUrl)?.type) {
    case 'github':
    case 'gitea':
    case 'azure':
      return sha => `${base}/commit/${sha}`;
    case 'gitlab':
      return sha => `${base}/-/commit/${sha}`;
    case 'bitbucketCloud':
      return sha => `${base}/commits/${sha}`;
    default:
      return undefined;
  }
}
