import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  Environment,
  KubernetesObject,
  ModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { identityOf, manifestFor, namespaceIn } from '../gitops/parseManifests';
import { DeploymentReader } from './DeploymentReader';
import { entityMatcher } from './entityMatcher';
import { environmentResult } from './environmentResult';

/** A deployment to promote, with the object to copy: its Git manifest, else the live object. */
export interface PromotionSource {
  deployment: ModelDeployment;
  object: KubernetesObject;
  origin: 'git' | 'cluster';
}

/**
 * The entity's deployments in one environment with what a promotion
 * copies: the manifest in Git when the environment has one, else the live
 * object.
 */
export async function promotionSources(
  reader: DeploymentReader,
  entityRef: CompoundEntityRef,
  env: Environment,
  credentials: BackstageCredentials,
): Promise<PromotionSource[]> {
  const matches = entityMatcher(await reader.entityOf(entityRef, credentials));
  const { snapshots, desired } = await reader.read(env);
  const live = new Map<string, KubernetesObject>();
  for (const snapshot of snapshots) {
    for (const object of snapshot.objects) {
      if (matches(object)) {
        live.set(identityOf(object, namespaceIn(object, env)), object);
      }
    }
  }
  const { deployments, error } = environmentResult(
    env,
    snapshots,
    matches,
    desired,
  );
  if (error) {
    // Promoting from what cannot be read would promote from a guess.
    throw new ServiceUnavailableError(
      `Cannot read environment '${env.name}': ${error.message}`,
    );
  }
  return deployments.flatMap((deployment): PromotionSource[] => {
    const ref = {
      apiVersion: deployment.apiVersion,
      kind: deployment.kind,
      metadata: { name: deployment.name, namespace: deployment.namespace },
    };
    const manifest = desired && manifestFor(desired.index, ref, env);
    if (manifest) {
      return [{ deployment, object: manifest.object, origin: 'git' }];
    }
    const object = live.get(identityOf(ref, namespaceIn(ref, env)));
    return object ? [{ deployment, object, origin: 'cluster' }] : [];
  });
}
