let kubernetesClient: Promise<typeof import('@kubernetes/client-node')>;

/**
 * Loads `@kubernetes/client-node` once. It is ESM-only, so a dynamic import
 * loads it from CommonJS, as the Kubernetes backend itself does; the plugin
 * calls this during its init so that a missing or broken module fails the
 * start, not a later watch.
 */
export function loadKubernetesClient() {
  kubernetesClient ??= import('@kubernetes/client-node');
  return kubernetesClient;
}
