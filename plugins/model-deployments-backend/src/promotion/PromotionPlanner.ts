import { PromotionActor } from '@seed-mlops/plugin-model-deployments-node';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Environment,
  EnvironmentFreeze,
  PromotionClusterCheck,
  PromotionGateResult,
  PromotionRequest,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import {
  DeploymentsService,
  PromotionSource,
} from '../service/DeploymentsService';
import { ClusterDryRun } from './ClusterDryRun';
import { PromotionGates } from './gates/PromotionGates';
import { FreezeWindows, frozenError } from './freeze/FreezeWindows';
import { TargetFile, targetFiles } from './promotedFiles';
import { PromotionRoute, parseModelRef, resolveRoute } from './promotionRoute';

/** A validated promotion with everything read that writing it needs. */
export interface PreparedPromotion extends PromotionRoute {
  request: PromotionRequest;
  actor: PromotionActor;
  entityRef: CompoundEntityRef;
  ref: string;
  files: TargetFile[];
  versions: string[];
  mayReadTarget: boolean;
  clusterCheck?: PromotionClusterCheck;
  /** The source's verification gates, when it has any. */
  gates?: PromotionGateResult[];
  /** The target's freeze window, when one is on. */
  frozen?: EnvironmentFreeze;
}

function versionsOf(sources: PromotionSource[]): string[] {
  return [
    ...new Set(
      sources.flatMap(s =>
        s.deployment.versions.flatMap(v => {
          const version = v.modelUri ?? v.image;
          return version ? [version] : [];
        }),
      ),
    ),
  ];
}

/** Git ahead of the cluster means the version to promote has not run here yet. */
function assertReady(
  sources: PromotionSource[],
  from: Environment,
  force: boolean | undefined,
) {
  const notReady = sources.filter(
    s =>
      s.deployment.phase !== 'Ready' ||
      s.deployment.sync?.state === 'OutOfSync',
  );
  if (notReady.length > 0 && !force) {
    throw new InputError(
      `${notReady
        .map(
          s =>
            `${s.deployment.kind} ${s.deployment.name} is ${
              s.deployment.phase === 'Ready'
                ? 'out of sync with Git'
                : s.deployment.phase
            }`,
        )
        .join(', ')} in '${
        from.name
      }', not Ready; fix it first, or force the promotion`,
    );
  }
}

/**
 * Works out what a promotion would write, before it writes anything: checks
 * the request and the actor, reads what runs in the source, and prepares
 * the target's manifests.
 */
export class PromotionPlanner {
  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      deployments: DeploymentsService;
      gitops: GitOpsService;
      catalog: CatalogService;
      allowSkippingStages: boolean;
      /** Longest to wait for the target's first Git read. */
      gitWaitMs: number;
      /** Asks the target cluster about the manifests first; none to skip. */
      clusterDryRun?: ClusterDryRun;
      /** The source environments' verification gates; none to skip. */
      gates?: PromotionGates;
      /** Which environments are frozen now; none to skip. */
      freezes?: FreezeWindows;
    },
  ) {}

  async prepare(
    request: PromotionRequest,
    actor: PromotionActor,
  ): Promise<PreparedPromotion> {
    const entityRef = parseModelRef(request.entityRef);
    const route = resolveRoute(this.deps.environments.list(), request, {
      allowSkippingStages: this.deps.allowSkippingStages,
    });
    const { from, to } = route;
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: actor.credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
      );
    }
    const { mayReadTarget } = await actor.authorize({ entity, from, to });
    const frozen = this.deps.freezes?.frozen(to.name);
    if (frozen && !request.force && !request.dryRun) {
      throw frozenError(to.name, frozen, 'promotion');
    }
    const sources = await this.deps.deployments.promotionSources(
      entityRef,
      from,
      actor.credentials,
    );
    const ref = stringifyEntityRef(entityRef);
    if (sources.length === 0) {
      throw new InputError(
        `${ref} has no deployment in '${from.name}' to promote`,
      );
    }
    // Ready is a gate an environment may turn off (requireReady: false).
    if (this.deps.gates?.policyOf(from)?.requireReady !== false) {
      assertReady(sources, from, request.force);
    }
    const gates = await this.deps.gates?.check(from, sources);
    const failed = gates?.filter(g => !g.passed) ?? [];
    if (failed.length > 0 && !request.force && !request.dryRun) {
      throw new ConflictError(
        `Verification of '${from.name}' failed: ${failed
          .map(g => g.message)
          .join('; ')}. Promote once the gates pass, or force the promotion`,
      );
    }

    const desired = await this.deps.gitops.desiredState(
      to,
      this.deps.gitWaitMs,
    );
    const files = targetFiles(sources, to, request.overrides, desired?.index);
    // Before any write: a manifest the target cluster rejects stops here.
    const clusterCheck = await this.deps.clusterDryRun?.check(
      to,
      files.map(f => f.object),
    );
    return {
      ...route,
      request,
      actor,
      entityRef,
      ref,
      files,
      versions: versionsOf(sources),
      mayReadTarget,
      ...(clusterCheck ? { clusterCheck } : {}),
      ...(gates?.length ? { gates } : {}),
      ...(frozen ? { frozen } : {}),
    };
  }
}
