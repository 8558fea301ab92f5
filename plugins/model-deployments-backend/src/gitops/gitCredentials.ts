import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { AuthCallback } from 'isomorphic-git';

/** The credentials for the repository at `url`, from the `integrations` config. */
export function onAuthFor(
  integrations: ScmIntegrationRegistry | undefined,
  url: string,
): AuthCallback | undefined {
  const integration = integrations?.byUrl(url);
  if (!integrations || !integration) return undefined;
  if (integration.type === 'github') {
    const provider =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    return async () => {
      const { token } = await provider.getCredentials({ url });
      return token ? { username: 'x-access-token', password: token } : {};
    };
  }
  // GitLab, Gitea, Bitbucket Server and friends keep a token in config.
  const token = (integration as unknown as { config?: { token?: string } })
    .config?.token;
  return token ? () => ({ username: 'oauth2', password: token }) : undefined;
}
