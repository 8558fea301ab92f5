import { isError } from '@backstage/errors';
import { EnvironmentError } from '@seed-mlops/plugin-model-deployments-common';
import { ClusterRequestError } from '@seed-mlops/plugin-model-deployments-node';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function findCode(error: any, depth = 0): string | undefined {
  if (!error || depth > 4) return undefined;
  if (typeof error.code === 'string') return error.code;
  return findCode(error.cause, depth + 1);
}

function findMessage(error: any, depth = 0): string | undefined {
  if (!error || depth > 4) return undefined;
  return (
    findMessage(error.cause, depth + 1) ??
    (typeof error.message === 'string' ? error.message : undefined)
  );
}

const NETWORK_CODE_IN_TEXT = new RegExp(
  `\\b(${[...NETWORK_CODES].join('|')})\\b`,
);

/**
 * The proxy wraps a failed request to the cluster in a `ForwardedError`
 * ("Cluster 'x' request error"), which takes the name of its cause, so the
 * network error code is the reliable sign.
 */
function isProxyNetworkError(error: any): boolean {
  if (!error) return false;
  const code = findCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  const text = `${error.message ?? ''} ${findMessage(error) ?? ''}`;
  return (
    NETWORK_CODE_IN_TEXT.test(text) ||
    / request error/.test(error.message ?? '')
  );
}

/** `seldondeployments.machinelearning.seldon.io` for a path of that resource. */
function crdNameOf(path: string | undefined): string | undefined {
  const match =
    /^\/apis\/([^/]+)\/[^/]+\/(?:namespaces\/[^/]+\/)?([^/?]+)/.exec(
      path ?? '',
    );
  return match ? `${match[2]}.${match[1]}` : undefined;
}

/** The proxy's own 404: the cluster is not in the kubernetes config. */
function isUnknownCluster(error: any): boolean {
  return (
    error?.name === 'NotFoundError' &&
    /^(Cluster '.*' not found|No Clusters configured)/.test(error.message ?? '')
  );
}

/**
 * Classifies an HTTP answer from the Kubernetes plugin's proxy. The body is
 * either a Kubernetes `Status` (the cluster answered) or a Backstage error
 * (the proxy itself answered: unknown cluster, permission, network failure).
 */
export function classifyResponse(
  cluster: string,
  statusCode: number,
  body: any,
  path?: string,
): ClusterRequestError {
  const fromCluster = body?.kind === 'Status';
  const backstageError = body?.error;
  const clusterMessage =
    typeof body?.message === 'string' ? body.message : undefined;
  let detail: EnvironmentError;
  if (!fromCluster && isProxyNetworkError(backstageError)) {
    // The proxy's own request to the cluster failed: refused, reset, DNS, TLS.
    detail = {
      type: 'UNREACHABLE',
      message: `Cluster '${cluster}' could not be reached: ${
        findMessage(backstageError) ?? 'request error'
      }`,
    };
  } else if (
    !fromCluster &&
    statusCode === 404 &&
    isUnknownCluster(backstageError)
  ) {
    detail = {
      type: 'UNKNOWN',
      message: `Cluster '${cluster}' is not configured in the kubernetes section of app-config (${
        backstageError?.message ?? 'not found'
      }).`,
    };
  } else if (!fromCluster && statusCode === 403) {
    detail = {
      type: 'FORBIDDEN',
      message: `The Kubernetes plugin refused the request for cluster '${cluster}': the model-deployments plugin needs the kubernetes.proxy permission.`,
    };
  } else if (statusCode === 401) {
    detail = {
      type: 'UNAUTHORIZED',
      message: `Cluster '${cluster}' rejected the credentials: ${
        clusterMessage ?? 'Unauthorized'
      }. Check the cluster's auth settings in the kubernetes config.`,
    };
  } else if (statusCode === 403) {
    detail = {
      type: 'FORBIDDEN',
      message: `Cluster '${cluster}' denied access: ${
        clusterMessage ?? 'Forbidden'
      }. The service account needs get, list and watch on this resource.`,
    };
  } else if (statusCode === 404) {
    // A real API server answers an unknown resource type with a plain-text
    // "404 page not found", not a Status.
    const crd = crdNameOf(path);
    detail = {
      type: 'RESOURCE_TYPE_MISSING',
      message: crd
        ? `Cluster '${cluster}' does not serve ${crd}: the CustomResourceDefinition ${crd} is not installed.`
        : `Cluster '${cluster}' does not serve this resource; its CRD is probably not installed.`,
    };
  } else if (statusCode === 504 || statusCode === 408) {
    detail = {
      type: 'TIMEOUT',
      message: `Cluster '${cluster}' timed out (HTTP ${statusCode}).`,
    };
  } else {
    detail = {
      type: 'UNKNOWN',
      message: `Cluster '${cluster}' answered HTTP ${statusCode}: ${
        clusterMessage ?? backstageError?.message ?? 'no details'
      }`,
    };
  }
  return new ClusterRequestError({ ...detail, statusCode }, statusCode);
}

/** Classifies a failed answer of the proxy, with its body when that is JSON. */
export async function classifyFailedResponse(
  cluster: string,
  response: Response,
  path: string,
): Promise<ClusterRequestError> {
  const body = await response.json().catch(() => undefined);
  return classifyResponse(cluster, response.status, body, path);
}

/** Classifies an error thrown before any HTTP answer arrived. */
export function classifyThrown(
  cluster: string,
  error: unknown,
  timeoutMs: number,
): ClusterRequestError {
  if (error instanceof ClusterRequestError) {
    return error;
  }
  const name = isError(error) ? error.name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ClusterRequestError({
      type: 'TIMEOUT',
      message: `Cluster '${cluster}' did not answer within ${timeoutMs} ms.`,
    });
  }
  const code = findCode(error);
  return new ClusterRequestError({
    type: code && NETWORK_CODES.has(code) ? 'UNREACHABLE' : 'UNKNOWN',
    message: `Request to cluster '${cluster}' failed: ${
      findMessage(error) ?? String(error)
    }`,
  });
}
