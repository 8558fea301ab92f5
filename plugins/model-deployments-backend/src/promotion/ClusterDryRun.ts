import { InputError } from '@backstage/errors';
import {
  Environment,
  KubernetesObject,
  ModelResourceKind,
  PromotionClusterCheck,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  ClusterRequestError,
} from '@seed-mlops/plugin-model-deployments-node';

type Answer =
  | { state: 'accepted' }
  | { state: 'rejected'; message: string }
  | { state: 'skipped'; message: string };

const nameOf = (object: KubernetesObject) =>
  `${object.kind} ${object.metadata?.name}`;

/**
 * Asks the target cluster's API server, with a server-side dry run, whether
 * it would accept the manifests a promotion is about to write, so that a
 * promotion never commits what the sync tool could not apply. The CRD's
 * schema and the cluster's admission (webhooks, policies) decide; nothing
 * is stored. When the cluster cannot be asked (no RBAC for writes, down,
 * not supported) the check is skipped and says why: Git stays the source
 * of truth, and the sync tool reports what the cluster refuses.
 */
export class ClusterDryRun {
  constructor(
    private readonly deps: {
      client: ModelClusterClient;
      kinds: readonly ModelResourceKind[];
    },
  ) {}

  /**
   * Resolves with what the cluster said; throws an InputError naming each
   * object the cluster would reject, with the API server's words.
   */
  async check(
    to: Environment,
    objects: readonly KubernetesObject[],
  ): Promise<PromotionClusterCheck> {
    const answers = await Promise.all(
      objects.map(async object => ({
        object,
        answer: await this.checkOne(to, object),
      })),
    );
    const rejected = answers.flatMap(({ object, answer }) =>
      answer.state === 'rejected'
        ? [`${nameOf(object)}: ${answer.message}`]
        : [],
    );
    if (rejected.length > 0) {
      throw new InputError(
        `Cluster '${to.cluster}' of environment '${
          to.name
        }' would reject the promoted manifests, so nothing was written. ${rejected.join(
          '; ',
        )}`,
      );
    }
    const skipped = answers.find(({ answer }) => answer.state === 'skipped');
    if (skipped?.answer.state === 'skipped') {
      return {
        state: 'skipped',
        message: `Not checked against cluster '${to.cluster}': ${skipped.answer.message}`,
      };
    }
    return {
      state: 'accepted',
      message: `The API server of cluster '${to.cluster}' accepts ${
        objects.length === 1
          ? 'the manifest'
          : `all ${objects.length} manifests`
      } (server-side dry run)`,
    };
  }

  private async checkOne(
    to: Environment,
    object: KubernetesObject,
  ): Promise<Answer> {
    const [group, version] = (object.apiVersion ?? '').split('/');
    const kind = this.deps.kinds.find(
      k => k.group === group && k.kind === object.kind,
    );
    const namespace = object.metadata?.namespace ?? to.namespace;
    const name = object.metadata?.name;
    if (!kind || !version || !name) {
      return {
        state: 'skipped',
        message: `${nameOf(object)} is not a watched resource kind`,
      };
    }
    if (!namespace) {
      return {
        state: 'skipped',
        message: `${nameOf(object)} names no namespace, and '${
          to.name
        }' is a whole cluster`,
      };
    }
    const path = `/apis/${group}/${version}/namespaces/${namespace}/${kind.plural}/${name}`;
    try {
      await this.deps.client.dryRunApply(to.cluster, path, object);
      return { state: 'accepted' };
    } catch (error) {
      return this.classify(error, namespace, kind.plural);
    }
  }

  private classify(error: unknown, namespace: string, plural: string): Answer {
    if (!(error instanceof ClusterRequestError)) {
      return { state: 'skipped', message: String(error) };
    }
    const { type, message } = error.detail;
    const status = error.statusCode;
    // Invalid (schema) and BadRequest (webhooks, bad fields) are the cluster
    // saying no to this manifest; so is a CRD it does not have.
    if (status === 422 || status === 400 || type === 'RESOURCE_TYPE_MISSING') {
      return { state: 'rejected', message };
    }
    // Server-side apply types the object against the schema before it
    // validates it, and answers a value of the wrong type with a 500.
    if (status === 500 && /failed to create typed patch object/.test(message)) {
      return { state: 'rejected', message };
    }
    if (type === 'FORBIDDEN') {
      // RBAC says the plugin may not write; anything else that forbids is
      // admission (a policy) refusing the manifest itself.
      if (/cannot (patch|create) resource/.test(message)) {
        return {
          state: 'skipped',
          message: `the plugin's identity may not dry-run writes of ${plural} in namespace '${namespace}' (grant create and patch, as examples/kubernetes/rbac-promotion-check.yaml does)`,
        };
      }
      if (status === 403 && !/kubernetes\.proxy/.test(message)) {
        return { state: 'rejected', message };
      }
    }
    if (status === 405) {
      return {
        state: 'skipped',
        message: 'it does not support server-side dry runs',
      };
    }
    return { state: 'skipped', message };
  }
}
