import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { quoteValue } from '@seed-mlops/plugin-model-deployments-common';

/**
 * The hosts this plugin may reach for Git: those of the `integrations`
 * section (as Backstage's URL reader allows) and those listed in
 * `modelDeployments.gitops.allowedHosts`. Any other repository URL, from a
 * request, a namespace annotation or config, is refused before a request
 * is made, so the backend cannot be pointed at itself or its neighbours.
 */
export class GitHostAllowList {
  static fromConfig(config: Config, integrations: ScmIntegrationRegistry) {
    const listed =
      config.getOptionalStringArray('modelDeployments.gitops.allowedHosts') ??
      [];
    return new GitHostAllowList(
      integrations,
      new Set(listed.map(host => host.toLowerCase())),
    );
  }

  /** Allows the hosts of `urls` alone, e.g. a test's Git server. */
  static allowing(...urls: string[]) {
    return new GitHostAllowList(
      undefined,
      new Set(urls.map(url => new URL(url).host.toLowerCase())),
    );
  }

  constructor(
    private readonly integrations: ScmIntegrationRegistry | undefined,
    private readonly listed: ReadonlySet<string>,
  ) {}

  /** Why `repoUrl` may not be reached, or undefined when it may. */
  problem(repoUrl: string): string | undefined {
    let url: URL;
    try {
      url = new URL(repoUrl);
    } catch {
      return `${quoteValue(repoUrl)} is not a URL`;
    }
    // `host` keeps a non-default port: 127.0.0.1:7091 and 127.0.0.1:7007 differ.
    const host = url.host.toLowerCase();
    if (this.listed.has(host) || this.integrations?.byHost(host)) {
      return undefined;
    }
    return `host ${quoteValue(
      host,
    )} is not allowed; add it under integrations or modelDeployments.gitops.allowedHosts`;
  }

  /** Throws an InputError naming `field` unless `repoUrl` may be reached. */
  assertAllowed(field: string, repoUrl: string) {
    const problem = this.problem(repoUrl);
    if (problem) throw new InputError(`${field}: ${problem}`);
  }
}
