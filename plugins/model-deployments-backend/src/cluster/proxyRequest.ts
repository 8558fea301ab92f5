import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';

/** Header the Kubernetes plugin's proxy reads to pick the cluster. */
const CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';

/** What it takes to call the Kubernetes plugin's proxy. */
export interface ProxyAccess {
  discovery: DiscoveryService;
  auth: AuthService;
}

/**
 * The URL and headers of a request for `path` on `cluster` through the
 * Kubernetes plugin's `/proxy` endpoint, with this plugin's own service
 * credentials. Query parameters that are undefined or empty are left out.
 */
export async function proxyRequest(
  { discovery, auth }: ProxyAccess,
  cluster: string,
  path: string,
  query: Record<string, string | undefined>,
) {
  const base = await discovery.getBaseUrl('kubernetes');
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await auth.getOwnServiceCredentials(),
    targetPluginId: 'kubernetes',
  });
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return {
    url: `${base}/proxy${path}${search ? `?${search}` : ''}`,
    headers: {
      Authorization: `Bearer ${token}`,
      [CLUSTER_HEADER]: cluster,
      Accept: 'application/json',
    },
  };
}
