import { InputError } from '@backstage/errors';
import {
  KubernetesObject,
  isDns1123Label,
  isDns1123Subdomain,
  isManifestKind,
} from '@seed-mlops/plugin-model-deployments-common';
import { stringify } from 'yaml';

/** What a promotion may change on the way, besides the namespace. */
export interface PromotionOverrides {
  /** Replicas of every predictor, model or KServe component. */
  replicas?: number;
}

/** Throws an InputError naming `field` unless `value` is a DNS-1123 label. */
export function assertDnsLabel(field: string, value: string) {
  if (!isDns1123Label(value)) {
    throw new InputError(
      `${field}: '${value}' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)`,
    );
  }
}

/** The fields the API server sets; promoting them would be wrong or refused. */
const SERVER_SET_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'finalizers',
];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The manifest to write into the target environment: server-set fields and
 * status removed, the namespace set to the target's or left out, overrides
 * applied. The source object is not changed.
 */
export function prepareManifest(
  source: KubernetesObject,
  options: { namespace?: string; overrides?: PromotionOverrides },
): KubernetesObject {
  // A JSON round trip: manifests are JSON data, and the copy compares equal
  // to a parsed file whatever realm the source object came from.
  const object = JSON.parse(JSON.stringify(source)) as KubernetesObject & {
    status?: unknown;
  };
  delete object.status;
  const metadata: Record<string, any> = { ...(object.metadata ?? {}) };
  for (const field of SERVER_SET_METADATA) delete metadata[field];
  if (metadata.annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } =
      metadata.annotations;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  if (options.namespace) metadata.namespace = options.namespace;
  else delete metadata.namespace;
  object.metadata = metadata as KubernetesObject['metadata'];
  const replicas = options.overrides?.replicas;
  if (replicas !== undefined) applyReplicas(object, replicas);
  return object;
}

function applyReplicas(object: KubernetesObject, replicas: number) {
  const spec = (object.spec ?? {}) as Record<string, any>;
  switch (object.kind) {
    case 'SeldonDeployment':
      for (const predictor of spec.predictors ?? []) {
        // Shadows and canaries keep their own size; the main predictor is what is scaled.
        if (!predictor.shadow) predictor.replicas = replicas;
      }
      break;
    case 'Model':
    case 'Server':
      spec.replicas = replicas;
      break;
    case 'InferenceService':
      if (spec.predictor) {
        spec.predictor.minReplicas = replicas;
        if (
          spec.predictor.maxReplicas !== undefined &&
          spec.predictor.maxReplicas < replicas
        ) {
          spec.predictor.maxReplicas = replicas;
        }
      }
      break;
    default:
      throw new InputError(
        `overrides.replicas: a ${object.kind} has no replicas to set`,
      );
  }
  object.spec = spec;
}

/** Seldon's file naming: `<Kind>-<name>.json`, checked so it cannot leave the folder. */
export function manifestFileName(
  object: KubernetesObject,
  extension: 'json' | 'yaml',
): string {
  const kind = String(object.kind ?? '');
  const name = String(object.metadata?.name ?? '');
  if (!isManifestKind(kind)) {
    throw new InputError(`The manifest's kind '${kind}' is not a valid kind`);
  }
  if (!isDns1123Subdomain(name)) {
    throw new InputError(
      `The manifest's name '${name}' is not a DNS-1123 name`,
    );
  }
  return `${kind}-${name}.${extension}`;
}

/** The file content, in the format its path says. */
export function serializeManifest(
  object: KubernetesObject,
  filePath: string,
): string {
  return /\.json$/i.test(filePath)
    ? `${JSON.stringify(object, null, 2)}\n`
    : stringify(object, { lineWidth: 0 });
}
