import { ScmIntegrations } from '@backstage/integration';
import { fakeGitHostApi } from '../__testUtils__/fakeGitHostApi';
import { openPullRequest } from './pullRequests';

const api = fakeGitHostApi();
const { routes, received } = api;
let integrations: ScmIntegrations;
beforeAll(async () => {
  integrations = await api.start();
});
afterEach(() => api.reset());
afterAll(() => api.stop());

const options = {
  head: 'model-deployments/promote-fraud-scorer-to-production-1234abcd',
  base: 'main',
  title: 'Promote fraud-scorer from staging to production',
  body: 'Versions: gs://acme-models/fraud/v5',
};

describe('openPullRequest', () => {
  it('opens a GitHub pull request with the integration token', async () => {
    routes.set('POST /github/repos/acme/ml-gitops/pulls', () => ({
      status: 201,
      body: {
        number: 42,
        html_url: 'https://github.com/acme/ml-gitops/pull/42',
      },
    }));
    await expect(
      openPullRequest(integrations, {
        ...options,
        repoUrl: 'https://github.com/acme/ml-gitops.git',
      }),
    ).resolves.toEqual({
      number: 42,
      url: 'https://github.com/acme/ml-gitops/pull/42',
    });
    expect(received[0].headers.authorization).toBe('token gh-token');
    expect(received[0].body).toEqual({
      head: options.head,
      base: 'main',
      title: options.title,
      body: options.body,
    });
  });

  it('finds the GitHub pull request already open for the branch', async () => {
    routes.set('POST /github/repos/acme/ml-gitops/pulls', () => ({
      status: 422,
      body: { message: 'Validation Failed: A pull request already exists' },
    }));
    routes.set('GET /github/repos/acme/ml-gitops/pulls', request => ({
      status: 200,
      body:
        request.url.searchParams.get('head') === `acme:${options.head}`
          ? [
              {
                number: 41,
                html_url: 'https://github.com/acme/ml-gitops/pull/41',
              },
            ]
          : [],
    }));
    await expect(
      openPullRequest(integrations, {
        ...options,
        repoUrl: 'https://github.com/acme/ml-gitops',
      }),
    ).resolves.toEqual({
      number: 41,
      url: 'https://github.com/acme/ml-gitops/pull/41',
    });
  });

  it('opens a GitLab merge request in a nested group, or finds the open one', async () => {
    const path = `/gitlab/api/v4/projects/${encodeURIComponent(
      'ml/platform/gitops',
    )}/merge_requests`;
    const url =
      'https://gitlab.acme.example/ml/platform/gitops/-/merge_requests';
    routes.set(`POST ${path}`, () => ({
      status: 201,
      body: { iid: 7, web_url: `${url}/7` },
    }));
    const repoUrl = 'https://gitlab.acme.example/ml/platform/gitops.git';
    await expect(
      openPullRequest(integrations, { ...options, repoUrl }),
    ).resolves.toEqual({ number: 7, url: `${url}/7` });
    expect(received[0].headers['private-token']).toBe('gl-token');
    expect(received[0].body).toEqual({
      source_branch: options.head,
      target_branch: 'main',
      title: options.title,
      description: options.body,
      remove_source_branch: true,
    });

    routes.set(`POST ${path}`, () => ({
      status: 409,
      body: { message: ['Another open merge request already exists'] },
    }));
    routes.set(`GET ${path}`, request => ({
      status: 200,
      body:
        request.url.searchParams.get('source_branch') === options.head
          ? [{ iid: 6, web_url: `${url}/6` }]
          : [],
    }));
    await expect(
      openPullRequest(integrations, { ...options, repoUrl }),
    ).resolves.toEqual({ number: 6, url: `${url}/6` });
  });

  it('says why GitLab refused', async () => {
    routes.set(
      'POST /gitlab/api/v4/projects/ml%2Fgitops/merge_requests',
      () => ({
        status: 403,
        body: { message: '403 Forbidden' },
      }),
    );
    await expect(
      openPullRequest(integrations, {
        ...options,
        repoUrl: 'https://gitlab.acme.example/ml/gitops.git',
      }),
    ).rejects.toThrow(/GitLab refused the merge request: 403/);
  });

  it('leaves plain Git hosts to the pushed branch', async () => {
    await expect(
      openPullRequest(integrations, {
        ...options,
        repoUrl: 'http://127.0.0.1:7091/production-models.git',
      }),
    ).resolves.toBeUndefined();
    expect(received).toEqual([]);
  });
});
