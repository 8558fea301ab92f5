import { ConflictError, ResponseError, isError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';

/** A pull (GitHub) or merge (GitLab) request, as opened or found. */
export interface OpenedPullRequest {
  number: number;
  url: string;
}

export interface PullRequestOptions {
  repoUrl: string;
  /** The pushed branch with the change. */
  head: string;
  /** The branch the change is for. */
  base: string;
  title: string;
  body: string;
}

/** `https://host/a/b/repo.git` → `a/b/repo`. */
function repositoryPath(repoUrl: string): string {
  return new URL(repoUrl).pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '');
}

async function openOnGithub(
  integrations: ScmIntegrationRegistry,
  apiBaseUrl: string,
  options: PullRequestOptions,
): Promise<OpenedPullRequest> {
  const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
    integrations,
  ).getCredentials({ url: options.repoUrl });
  const [owner, repo] = repositoryPath(options.repoUrl).split('/');
  const octokit = new Octokit({ auth: token, baseUrl: apiBaseUrl });
  try {
    const { data } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: options.head,
      base: options.base,
      title: options.title,
      body: options.body,
    });
    return { number: data.number, url: data.html_url };
  } catch (error) {
    // 422 when one is already open for this branch: the same promotion again.
    if (!isError(error) || error.status !== 422) throw error;
    const { data } = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${options.head}`,
      state: 'open',
    });
    if (!data[0]) throw error;
    return { number: data[0].number, url: data[0].html_url };
  }
}

async function openOnGitlab(
  apiBaseUrl: string,
  token: string | undefined,
  options: PullRequestOptions,
): Promise<OpenedPullRequest> {
  const project = encodeURIComponent(repositoryPath(options.repoUrl));
  const headers = {
    'Content-Type': 'application/json',
    ...(token ? { 'PRIVATE-TOKEN': token } : {}),
  };
  const response = await fetch(
    `${apiBaseUrl}/projects/${project}/merge_requests`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({
        source_branch: options.head,
        target_branch: options.base,
        title: options.title,
        description: options.body,
        remove_source_branch: true,
      }),
    },
  );
  if (response.status === 409) {
    const existing = await fetch(
      `${apiBaseUrl}/projects/${project}/merge_requests?state=opened&source_branch=${encodeURIComponent(
        options.head,
      )}`,
      { headers },
    );
    const [found] = (await existing.json()) as Array<{
      iid: number;
      web_url: string;
    }>;
    if (found) return { number: found.iid, url: found.web_url };
  }
  if (!response.ok) {
    throw new ConflictError(
      `GitLab refused the merge request: ${
        response.status
      } ${await response.text()}`,
    );
  }
  const created = (await response.json()) as { iid: number; web_url: string };
  return { number: created.iid, url: created.web_url };
}

/** The pull request API of the repository's host, from the `integrations` config. */
function hostApiOf(
  integrations: ScmIntegrationRegistry | undefined,
  repoUrl: string,
) {
  const integration = integrations?.byUrl(repoUrl);
  if (!integrations || !integration) return undefined;
  // GitHub and GitLab integrations expose their config; the interface does not say so.
  const config = (
    integration as unknown as {
      config: { apiBaseUrl?: string; token?: string };
    }
  ).config;
  if (!config.apiBaseUrl) return undefined;
  if (integration.type !== 'github' && integration.type !== 'gitlab') {
    return undefined;
  }
  return {
    type: integration.type,
    integrations,
    apiBaseUrl: config.apiBaseUrl,
    token: config.token,
  };
}

/**
 * Opens a pull request for a pushed branch on GitHub or GitLab, with the
 * credentials of the `integrations` config, or finds the one already open.
 * Resolves to undefined for hosts without such an API (plain Git): the
 * pushed branch is then the proposal.
 */
export async function openPullRequest(
  integrations: ScmIntegrationRegistry | undefined,
  options: PullRequestOptions,
): Promise<OpenedPullRequest | undefined> {
  const host = hostApiOf(integrations, options.repoUrl);
  if (host?.type === 'github') {
    return openOnGithub(host.integrations, host.apiBaseUrl, options);
  }
  if (host?.type === 'gitlab') {
    return openOnGitlab(host.apiBaseUrl, host.token, options);
  }
  return undefined;
}

/** Where a pull request stands. */
export type PullRequestState = 'open' | 'merged' | 'closed';

/**
 * Asks the host where a promotion's pull request (GitHub) or merge request
 * (GitLab) stands; undefined for hosts without such an API.
 */
export async function pullRequestState(
  integrations: ScmIntegrationRegistry | undefined,
  pullRequest: { repoUrl: string; number: number },
): Promise<PullRequestState | undefined> {
  const host = hostApiOf(integrations, pullRequest.repoUrl);
  const path = repositoryPath(pullRequest.repoUrl);
  if (host?.type === 'github') {
    const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
      host.integrations,
    ).getCredentials({ url: pullRequest.repoUrl });
    const [owner, repo] = path.split('/');
    const octokit = new Octokit({ auth: token, baseUrl: host.apiBaseUrl });
    const { data } = await octokit.rest.pulls.get({
      owner,
      repo,
      pull_number: pullRequest.number,
    });
    if (data.merged) return 'merged';
    return data.state === 'closed' ? 'closed' : 'open';
  }
  if (host?.type === 'gitlab') {
    const response = await fetch(
      `${host.apiBaseUrl}/projects/${encodeURIComponent(path)}/merge_requests/${
        pullRequest.number
      }`,
      { headers: host.token ? { 'PRIVATE-TOKEN': host.token } : {} },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    // GitLab's states: opened, closed, locked, merged.
    const { state } = (await response.json()) as { state: string };
    if (state === 'merged') return 'merged';
    return state === 'closed' ? 'closed' : 'open';
  }
  return undefined;
}
