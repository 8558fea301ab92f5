import { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { JsonObject } from '@backstage/types';
import { modelDeploymentsPlugin } from '../plugin';
import { scanResponsesForSecrets, secretsInConfig } from '../testUtils';

/**
 * The section with `gitops.allowedHosts` set, when a test leaves it out, to
 * the hosts of its configured environments' repositories: the test's own
 * Git server. Tests of the allow list set it themselves.
 */
function withGitHostsAllowed(section: JsonObject): JsonObject {
  const gitops = (section.gitops ?? {}) as JsonObject;
  if (gitops.allowedHosts) return section;
  const hosts = new Set<string>();
  for (const env of (section.environments ?? []) as JsonObject[]) {
    const repoUrl = (env.gitops as JsonObject | undefined)?.repoUrl;
    if (typeof repoUrl === 'string') hosts.add(new URL(repoUrl).host);
  }
  return { ...section, gitops: { ...gitops, allowedHosts: [...hosts] } };
}

/**
 * Starts the real Kubernetes backend and the model-deployments plugin with a
 * catalog of `entities`. Each cluster is reached with a service account
 * token, as the example app-config does. Every response is scanned for the
 * config's secrets (asserted in setupTests).
 */
export async function startModelDeploymentsBackend(options: {
  /** Cluster name to its URL and the token sent to it. */
  clusters: Array<{
    name: string;
    url: string;
    token: string;
    /** For a real API server's self-signed certificate in tests. */
    skipTLSVerify?: boolean;
  }>;
  entities: Entity[];
  /** The `modelDeployments` config section. */
  modelDeployments: JsonObject;
  features?: BackendFeature[];
  /** More config, e.g. `permission` or `integrations`. */
  config?: JsonObject;
}) {
  const data: JsonObject = {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(
            ({ name, url, token, skipTLSVerify }) => ({
              ...(skipTLSVerify ? { skipTLSVerify } : {}),
              name,
              url,
              authProvider: 'serviceAccount',
              serviceAccountToken: token,
              skipMetricsLookup: true,
            }),
          ),
        },
      ],
    },
    modelDeployments: withGitHostsAllowed(options.modelDeployments),
    ...options.config,
  };
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      modelDeploymentsPlugin,
      ...(options.features ?? []),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  scanResponsesForSecrets(
    backend.server,
    secretsInConfig(new ConfigReader(data)),
  );
  return backend;
}
