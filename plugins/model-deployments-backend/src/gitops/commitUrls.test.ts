import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { commitUrlFor } from './commitUrls';

describe('commitUrlFor', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.acme.example',
            apiBaseUrl: 'https://gitlab.acme.example/api/v4',
          },
        ],
        gitea: [{ host: 'gitea.acme.example' }],
      },
    }),
  );
  const sha = '0123456789abcdef0123456789abcdef01234567';

  it.each([
    [
      'https://github.com/acme/gitops.git',
      `https://github.com/acme/gitops/commit/${sha}`,
    ],
    [
      'https://github.com/acme/gitops',
      `https://github.com/acme/gitops/commit/${sha}`,
    ],
    [
      'https://gitlab.com/acme/ml/gitops.git',
      `https://gitlab.com/acme/ml/gitops/-/commit/${sha}`,
    ],
    [
      'https://gitlab.acme.example/ml/gitops.git',
      `https://gitlab.acme.example/ml/gitops/-/commit/${sha}`,
    ],
    [
      'https://gitea.acme.example/ml/gitops.git',
      `https://gitea.acme.example/ml/gitops/commit/${sha}`,
    ],
    [
      'https://bitbucket.org/acme/gitops.git',
      `https://bitbucket.org/acme/gitops/commits/${sha}`,
    ],
  ])('links commits of %s', (repoUrl, expected) => {
    expect(commitUrlFor(integrations, repoUrl)?.(sha)).toBe(expected);
  });

  it('leaves credentials in the repository URL out of the link', () => {
    const link = commitUrlFor(
      integrations,
      'https://bot:s3cret-token@github.com/acme/gitops.git',
    )?.(sha);
    expect(link).toBe(`https://github.com/acme/gitops/commit/${sha}`);
    expect(link).not.toContain('s3cret');
  });

  it('gives no link for hosts without a known web UI', () => {
    expect(
      commitUrlFor(integrations, 'http://127.0.0.1:7091/models.git'),
    ).toBeUndefined();
    expect(
      commitUrlFor(integrations, 'git@github.com:acme/gitops.git'),
    ).toBeUndefined();
    expect(
      commitUrlFor(undefined, 'https://github.com/acme/gitops.git'),
    ).toBeUndefined();
  });
});
