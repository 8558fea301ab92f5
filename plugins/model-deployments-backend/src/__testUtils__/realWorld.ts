import { Entity } from '@backstage/catalog-model';
import path from 'path';
import { RealApiServer } from './realApiServer';

/** The RBAC the README suggests, applied as written. */
const KUBERNETES_EXAMPLES = path.resolve(
  __dirname,
  '../../../../examples/kubernetes',
);

/**
 * The example RBAC files beside rbac.yaml (least privilege, always
 * applied): environment creation, promotion dry runs.
 */
export type ExtraRbac =
  | 'rbac-environment-creation.yaml'
  | 'rbac-promotion-check.yaml';

/** A namespace as an admin creates it: nothing but its name. */
export const namespaceManifest = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

/**
 * Creates the namespaces, then applies rbac.yaml and `extraRbac`: the
 * plugin's user may then do what the README grants in each namespace.
 */
export async function createNamespacesWithRbac(
  apiServer: RealApiServer,
  namespaces: string[],
  extraRbac: ExtraRbac[] = [],
) {
  for (const name of namespaces) {
    await apiServer.create(namespaceManifest(name));
  }
  for (const file of ['rbac.yaml', ...extraRbac]) {
    await apiServer.apply(path.join(KUBERNETES_EXAMPLES, file));
  }
}

/**
 * A SeldonDeployment as a user applies it: no status, which the real API
 * server keeps to the /status subresource (unlike the demo cluster's
 * fixtures in __fixtures__/manifests.ts). `replicas` is not typed, so that
 * tests can send what the CRD refuses.
 */
export const seldonDeploymentManifest = (
  name: string,
  namespace: string | undefined,
  options: {
    modelUri?: string;
    replicas?: unknown;
    labels?: Record<string, string>;
  } = {},
) => ({
  apiVersion: 'machinelearning.seldon.io/v1',
  kind: 'SeldonDeployment',
  metadata: {
    name,
    ...(namespace ? { namespace } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
  },
  spec: {
    predictors: [
      {
        name: 'default',
        replicas: options.replicas ?? 1,
        graph: {
          name: 'classifier',
          implementation: 'SKLEARN_SERVER',
          modelUri: options.modelUri ?? `gs://models/${name}/v1`,
        },
      },
    ],
  },
});

/** A model in the catalog, matched to deployments of the same name. */
export const modelEntity = (
  name: string,
  owner = 'group:default/ml-platform',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'model-deployments/name': name },
  },
  spec: { type: 'model', owner },
});

/**
 * The backend's entry for the API server, as the plugin's user unless
 * another token is given; its certificate is self-signed.
 */
export const realCluster = (
  apiServer: RealApiServer,
  name = 'real',
  options: { token?: string; url?: string } = {},
) => ({
  name,
  url: options.url ?? apiServer.url,
  token: options.token ?? apiServer.pluginToken,
  skipTLSVerify: true,
});
