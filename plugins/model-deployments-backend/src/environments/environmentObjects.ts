import {
  EnvironmentCreationRequest,
  EnvironmentNamespaceLabels,
  KubernetesObject,
  SeldonNamespaceLabels,
} from '@seed-mlops/plugin-model-deployments-common';

/** The RoleBinding that gives an environment's owner groups `edit`. */
export const OWNERS_BINDING = 'model-deployments-owners';

/** The namespace, labelled and annotated as discovery reads it. */
export function environmentNamespace(
  request: EnvironmentCreationRequest,
  namespace: string,
  folder: string,
): KubernetesObject {
  const gitops = request.gitops;
  const labels: Record<string, string> = {
    [SeldonNamespaceLabels.restricted]: String(request.restricted ?? false),
    [EnvironmentNamespaceLabels.name]: request.name,
    [EnvironmentNamespaceLabels.stage]: String(request.stage),
    ...(gitops ? { [SeldonNamespaceLabels.gitops]: 'enabled' } : {}),
  };
  const annotations: Record<string, string> = {
    ...(request.title
      ? { [EnvironmentNamespaceLabels.titleAnnotation]: request.title }
      : {}),
    ...(gitops
      ? {
          [SeldonNamespaceLabels.gitRepoAnnotation]: gitops.repoUrl,
          [EnvironmentNamespaceLabels.gitPathAnnotation]: folder,
          ...(gitops.branch
            ? {
                [EnvironmentNamespaceLabels.gitBranchAnnotation]: gitops.branch,
              }
            : {}),
        }
      : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels, annotations },
  } as KubernetesObject;
}

/**
 * The labels and annotations of `wanted` that `found` has with another value
 * or not at all, as `key=found value`; none when `found` can be adopted.
 */
export function metadataConflicts(
  found: KubernetesObject,
  wanted: KubernetesObject,
): string[] {
  const metadataOf = (o: KubernetesObject) =>
    ({
      ...(o.metadata?.labels ?? {}),
      ...((o.metadata as { annotations?: Record<string, string> })
        ?.annotations ?? {}),
    } as Record<string, string>);
  const want = metadataOf(wanted);
  const have = metadataOf(found);
  return Object.keys(want)
    .filter(key => have[key] !== want[key])
    .map(key => `${key}=${have[key] ?? '(none)'}`);
}

/** `edit` in the namespace for the owner groups, none without groups. */
export function ownersBinding(
  namespace: string,
  groups: string[],
): KubernetesObject | undefined {
  if (!groups.length) return undefined;
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: OWNERS_BINDING, namespace },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'edit',
    },
    subjects: groups.map(name => ({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Group',
      name,
    })),
  } as KubernetesObject;
}

/** The README that starts an environment's GitOps folder. */
export function environmentReadme(
  request: EnvironmentCreationRequest,
  namespace: string,
) {
  return `# ${request.title ?? request.name}

The desired state of the \`${request.name}\` environment: namespace
\`${namespace}\` on cluster \`${request.cluster}\`, stage ${request.stage}${
    request.restricted ? ', restricted' : ''
  }.

The sync tool applies the manifests in this folder to the namespace.
Promotions from the previous stage write \`<Kind>-<name>.json|yaml\` files
here. Created by the model-deployments plugin of Backstage.
`;
}
