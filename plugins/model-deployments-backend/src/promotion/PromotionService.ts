import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Environment,
  GitOpsSource,
  KubernetesObject,
  PromotionClusterCheck,
  PromotionFile,
  PromotionRequest,
  PromotionResult,
  PromotionStrategy,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { createHash } from 'crypto';
import { createTwoFilesPatch } from 'diff';
import { isDeepStrictEqual } from 'util';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity, FileChange, WritePlan } from '../gitops/GitWriter';
import { manifestFor, parseManifestFile } from '../gitops/parseManifests';
import {
  DeploymentsService,
  PromotionSource,
} from '../service/DeploymentsService';
import { ClusterDryRun } from './ClusterDryRun';
import { PromotionStore } from './PromotionStore';
import { openPullRequest } from './pullRequests';
import {
  assertDnsLabel,
  manifestFileName,
  prepareManifest,
  serializeManifest,
} from './manifests';

/** Larger manifests are almost certainly not what the user meant to promote. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The most replicas a promotion may ask for; a typo guard, not a cluster limit. */
const MAX_REPLICAS = 1000;

/** Who asked for a promotion. */
export interface PromotionActor {
  /** User entity ref, or the service's subject. */
  ref: string;
  credentials: BackstageCredentials;
  /**
   * Throws unless the actor may make this promotion. Called once the
   * environments and the model are known, before anything is read from them.
   * Says whether the actor may also read the target environment: if not,
   * nothing of the target's current manifests is returned.
   */
  authorize(promotion: {
    entity: Entity;
    from: Environment;
    to: Environment;
  }): Promise<{ mayReadTarget: boolean }>;
}

/** A validated promotion with everything read that writing it needs. */
interface PreparedPromotion {
  request: PromotionRequest;
  actor: PromotionActor;
  entityRef: CompoundEntityRef;
  ref: string;
  from: Environment;
  to: Environment;
  gitops: GitOpsSource;
  strategy: PromotionStrategy;
  files: Array<{ path: string; object: KubernetesObject }>;
  versions: string[];
  mayReadTarget: boolean;
  clusterCheck?: PromotionClusterCheck;
}

interface PlannedFile extends PromotionFile {
  content: string;
  previous?: string;
}

function folderOf(env: Environment) {
  return (env.gitops?.path ?? '').replace(/^\/+|\/+$/g, '');
}

function joinPath(folder: string, file: string) {
  return folder ? `${folder}/${file}` : file;
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

/** Keeps the source file's format; Seldon writes SeldonDeployments as JSON. */
function extensionFor(
  source: PromotionSource,
  object: KubernetesObject,
): 'json' | 'yaml' {
  if (source.origin === 'git' && source.deployment.gitPath) {
    return /\.json$/i.test(source.deployment.gitPath) ? 'json' : 'yaml';
  }
  return object.kind === 'SeldonDeployment' ? 'json' : 'yaml';
}

/**
 * Promotes a model from one environment to the next through Git: reads what
 * runs in the source (its Git manifests, else the live objects), prepares
 * the manifests for the target, and commits them to the target's folder or
 * repository, or pushes them to a branch for review. The scaffolder action,
 * the API and the UI all run this one engine.
 */
export class PromotionService {
  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      deployments: DeploymentsService;
      gitops: GitOpsService;
      catalog: CatalogService;
      committer: CommitIdentity;
      allowSkippingStages: boolean;
      /** Longest to wait for the target's first Git read. */
      gitWaitMs: number;
      /** Where promotions are recorded; none in tests that do not need it. */
      store?: PromotionStore;
      /** Hosts with pull request APIs (GitHub, GitLab) and their credentials. */
      integrations?: ScmIntegrationRegistry;
      /** Asks the target cluster about the manifests first; none to skip. */
      clusterDryRun?: ClusterDryRun;
    },
  ) {}

  /** Checks the request and works out the source and target environments. */
  private resolve(request: PromotionRequest) {
    const environments = this.deps.environments.list();
    const names = environments.map(e => e.name).join(', ');
    assertDnsLabel('to', request.to);
    const toIndex = environments.findIndex(e => e.name === request.to);
    if (toIndex < 0) {
      throw new InputError(
        `to: unknown environment ${quoteValue(
          request.to,
        )}; expected one of ${names}`,
      );
    }
    let fromIndex = toIndex - 1;
    if (request.from !== undefined) {
      assertDnsLabel('from', request.from);
      fromIndex = environments.findIndex(e => e.name === request.from);
      if (fromIndex < 0) {
        throw new InputError(
          `from: unknown environment ${quoteValue(
            request.from,
          )}; expected one of ${names}`,
        );
      }
    } else if (toIndex === 0) {
      throw new InputError(
        `to: '${request.to}' is the first stage, so there is nothing to promote from; name 'from'`,
      );
    }
    if (fromIndex === toIndex) {
      throw new InputError(
        `from and to are both '${request.to}'; a promotion moves a model to another environment`,
      );
    }
    if (fromIndex > toIndex) {
      throw new InputError(
        `from: '${environments[fromIndex].name}' comes after '${request.to}' in the pipeline; promotions go forward`,
      );
    }
    const skipped = environments.slice(fromIndex + 1, toIndex);
    if (skipped.length > 0 && !this.deps.allowSkippingStages) {
      throw new InputError(
        `Promoting from '${environments[fromIndex].name}' to '${
          request.to
        }' skips ${skipped
          .map(e => `'${e.name}'`)
          .join(
            ', ',
          )}; promote stage by stage, or set modelDeployments.promotion.allowSkippingStages`,
      );
    }
    const from = environments[fromIndex];
    const to = environments[toIndex];
    if (!to.gitops) {
      throw new InputError(
        `to: environment '${to.name}' has no GitOps source; promotions are written to Git`,
      );
    }
    const strategy: PromotionStrategy =
      request.strategy ??
      to.gitops.promotionStrategy ??
      (to.restricted ? 'pull-request' : 'commit');
    if (strategy !== 'commit' && strategy !== 'pull-request') {
      throw new InputError(
        `strategy: '${strategy}' is not 'commit' or 'pull-request'`,
      );
    }
    const replicas = request.overrides?.replicas;
    if (
      replicas !== undefined &&
      (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS)
    ) {
      throw new InputError(
        `overrides.replicas: expected a whole number from 0 to ${MAX_REPLICAS}, got ${replicas}`,
      );
    }
    return { from, to, gitops: to.gitops, strategy };
  }

  private parseRef(entityRef: string): CompoundEntityRef {
    try {
      return parseEntityRef(entityRef);
    } catch (e) {
      throw new InputError(
        `entityRef: '${entityRef}' is not an entity ref (${
          (e as Error).message
        }); expected kind:namespace/name`,
      );
    }
  }

  /** The commit message, Seldon Enterprise Platform's JSON with who asked. */
  private async commitMessage(
    actor: PromotionActor,
    text: string,
    from: Environment,
  ): Promise<string> {
    let name = actor.ref;
    let email = '';
    if (actor.ref.startsWith('user:')) {
      const user = await this.deps.catalog
        .getEntityByRef(actor.ref, { credentials: actor.credentials })
        .catch(() => undefined);
      const profile = (user?.spec as any)?.profile ?? {};
      name = profile.displayName ?? user?.metadata.name ?? actor.ref;
      email = profile.email ?? '';
    }
    return JSON.stringify({
      Action: `Promoted from ${from.name}`,
      Message: text,
      Author: name,
      Email: email,
    });
  }

  /**
   * Where each source goes in the target and with what content. The paths
   * and the namespace convention come from the target's last read state;
   * the content check happens against the branch head at write time.
   */
  private async targetFiles(
    sources: PromotionSource[],
    to: Environment,
    request: PromotionRequest,
  ) {
    const desired = await this.deps.gitops.desiredState(
      to,
      this.deps.gitWaitMs,
    );
    const index = desired?.index;
    // Seldon's layout leaves the namespace out (the sync tool sets it); keep
    // whatever the target folder already does.
    const targetSetsNamespace = index
      ? [...index.byIdentity.values()].some(m => m.object.metadata?.namespace)
      : false;
    const folder = folderOf(to);
    const targets = sources.map(source => {
      // The same object in the target: same kind and name, in the target's namespace.
      const existing =
        index &&
        manifestFor(
          index,
          {
            ...source.object,
            metadata: {
              ...source.object.metadata,
              namespace: to.namespace ?? source.object.metadata?.namespace,
            },
          },
          to,
        );
      const wantsNamespace = existing
        ? Boolean(existing.object.metadata?.namespace)
        : targetSetsNamespace;
      const object = prepareManifest(source.object, {
        namespace: wantsNamespace ? to.namespace : undefined,
        overrides: request.overrides,
      });
      const extension = extensionFor(source, object);
      const path =
        existing?.path ?? joinPath(folder, manifestFileName(object, extension));
      const size = Buffer.byteLength(serializeManifest(object, path));
      if (size > MAX_MANIFEST_BYTES) {
        throw new InputError(
          `The manifest of ${object.kind} ${
            object.metadata?.name
          } is ${Math.ceil(size / 1024)} KiB; promotions write at most ${
            MAX_MANIFEST_BYTES / 1024
          } KiB per file`,
        );
      }
      return { path, object };
    });
    const paths = new Set<string>();
    for (const { path } of targets) {
      if (paths.has(path)) {
        throw new InputError(
          `Several of the model's objects would be written to ${path}; promotions write one object per file, so split it in Git first`,
        );
      }
      paths.add(path);
    }
    return targets;
  }

  /** Compares each prepared manifest with the file at `head`. */
  private async plan(
    head: string,
    files: Array<{ path: string; object: KubernetesObject }>,
    read: (head: string, path: string) => Promise<string | undefined>,
  ): Promise<PlannedFile[]> {
    const planned: PlannedFile[] = [];
    for (const { path, object } of files) {
      const previous = await read(head, path);
      if (previous !== undefined) {
        const parsed = parseManifestFile({ path, content: previous });
        // Rewriting such a file would drop what else it holds.
        if (parsed.error) {
          throw new InputError(
            `The target file ${path} is not a valid manifest (${parsed.error.message}); fix it in Git first`,
          );
        }
        if (parsed.manifests.length > 1) {
          throw new InputError(
            `The target file ${path} holds ${parsed.manifests.length} objects; promotions write one object per file, so split it in Git first`,
          );
        }
        if (isDeepStrictEqual(parsed.manifests[0]?.object, object)) continue;
      }
      planned.push({
        path,
        change: previous === undefined ? 'create' : 'update',
        content: serializeManifest(object, path),
        ...(previous !== undefined ? { previous } : {}),
      });
    }
    return planned;
  }

  /**
   * Promotes, or on a dry run works out the change. Every real attempt that
   * passed validation is recorded, failures included.
   */
  async promote(
    request: PromotionRequest,
    actor: PromotionActor,
  ): Promise<PromotionResult> {
    const prepared = await this.prepare(request, actor);
    if (request.dryRun) return this.run(prepared);
    const record = (result: Omit<PromotionResult, 'files' | 'diff'>) =>
      this.deps.store?.add({
        entityRef: result.entityRef,
        from: result.from,
        to: result.to,
        strategy: result.strategy,
        status: result.status,
        actor: actor.ref,
        versions: result.versions,
        message: result.message,
        ...(result.commit ? { commit: result.commit } : {}),
        ...(result.branch ? { branch: result.branch } : {}),
        ...(result.pullRequest ? { pullRequest: result.pullRequest } : {}),
      });
    let result: PromotionResult;
    try {
      result = await this.run(prepared);
    } catch (error) {
      // Bad input changes nothing, not even the history.
      if ((error as Error)?.name === 'InputError') throw error;
      await record({
        entityRef: prepared.ref,
        from: prepared.from.name,
        to: prepared.to.name,
        strategy: prepared.strategy,
        versions: prepared.versions,
        status: 'failed',
        message: `Promotion failed: ${String(
          (error as Error)?.message ?? error,
        )}`,
      });
      throw error;
    }
    const stored = await record(result);
    return stored ? { ...result, id: stored.id } : result;
  }

  /** Validates and reads everything a promotion needs; `run` then writes (or previews). */
  private async prepare(
    request: PromotionRequest,
    actor: PromotionActor,
  ): Promise<PreparedPromotion> {
    const entityRef = this.parseRef(request.entityRef);
    const { from, to, gitops, strategy } = this.resolve(request);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: actor.credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
      );
    }
    const { mayReadTarget } = await actor.authorize({ entity, from, to });
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
    // Git ahead of the cluster means the version to promote has not run here yet.
    const notReady = sources.filter(
      s =>
        s.deployment.phase !== 'Ready' ||
        s.deployment.sync?.state === 'OutOfSync',
    );
    if (notReady.length > 0 && !request.force) {
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

    const files = await this.targetFiles(sources, to, request);
    // Before any write: a manifest the target cluster rejects stops here.
    const clusterCheck = await this.deps.clusterDryRun?.check(
      to,
      files.map(f => f.object),
    );
    return {
      request,
      actor,
      entityRef,
      ref,
      from,
      to,
      gitops,
      strategy,
      files,
      versions: versionsOf(sources),
      mayReadTarget,
      ...(clusterCheck ? { clusterCheck } : {}),
    };
  }

  private async run(prepared: PreparedPromotion): Promise<PromotionResult> {
    const {
      request,
      actor,
      entityRef,
      ref,
      from,
      to,
      gitops,
      strategy,
      files,
      versions,
      mayReadTarget,
      clusterCheck,
    } = prepared;
    const writer = this.deps.gitops.writerFor(gitops);
    const base = gitops.branch ?? (await writer.defaultBranch());
    const summary = `${entityRef.name}${
      versions.length ? ` (${versions.join(', ')})` : ''
    } from ${from.name} to ${to.name}`;
    let planned: PlannedFile[] = [];
    const planAt = async (head: string) => {
      planned = await this.plan(head, files, (h, p) => writer.readFile(h, p));
      return planned;
    };
    const outcome = (
      status: PromotionResult['status'],
      message: string,
      extra: Partial<PromotionResult> = {},
    ): PromotionResult => ({
      status,
      entityRef: ref,
      from: from.name,
      to: to.name,
      strategy,
      message,
      files: planned.map(({ path, change }) => ({ path, change })),
      // The diff's removed lines are the target's current manifests.
      ...(mayReadTarget
        ? {}
        : {
            diffWithheld: `You may not read environment '${to.name}', so its current manifests and the diff against them are not shown`,
          }),
      diff: !mayReadTarget
        ? ''
        : planned
            .map(file =>
              createTwoFilesPatch(
                file.change === 'create' ? '/dev/null' : `a/${file.path}`,
                `b/${file.path}`,
                file.previous ?? '',
                file.content,
              )
                // The library's leading '====' separator is not part of git's format.
                .replace(/^=+\n/, ''),
            )
            .join(''),
      versions,
      ...(clusterCheck ? { clusterCheck } : {}),
      ...extra,
    });

    if (request.dryRun) {
      await writer.read(base, planAt);
      return planned.length === 0
        ? outcome('up-to-date', `Already up to date: ${summary}`)
        : outcome('dry-run', `Would promote ${summary}`);
    }

    const message = await this.commitMessage(actor, `Promote ${summary}`, from);
    const toWrite = (): FileChange[] =>
      planned.map(({ path, content }) => ({ path, content }));
    // One change, one review branch: the same promotion again finds it.
    const branchFor = (changes: FileChange[]) =>
      `model-deployments/promote-${entityRef.name}-to-${to.name}-${createHash(
        'sha256',
      )
        .update(JSON.stringify(changes))
        .digest('hex')
        .slice(0, 8)}`;
    const written = await writer.write({
      base,
      author: this.deps.committer,
      plan: async (head): Promise<WritePlan> => {
        await planAt(head);
        if (planned.length === 0) return { kind: 'none' };
        return {
          kind: 'write',
          files: toWrite(),
          message,
          ...(strategy === 'pull-request'
            ? { branch: branchFor(toWrite()) }
            : {}),
        };
      },
    });
    if (!written.commit) {
      return outcome('up-to-date', `Already up to date: ${summary}`);
    }
    // Let page views see the change without waiting for the next refresh.
    void this.deps.gitops.refreshEnvironment(to).catch(() => undefined);
    const commit = {
      sha: written.commit,
      ...(this.deps.gitops.commitUrl(gitops, written.commit)
        ? { url: this.deps.gitops.commitUrl(gitops, written.commit) }
        : {}),
    };
    if (strategy === 'commit') {
      return outcome('committed', `Promoted ${summary}`, {
        commit,
        branch: written.branch,
      });
    }
    const pullRequest = await openPullRequest(this.deps.integrations, {
      repoUrl: gitops.repoUrl,
      head: written.branch,
      base,
      title: `Promote ${summary}`,
      body: [
        `Promotes ${ref} from ${from.title} to ${to.title}.`,
        '',
        `Versions: ${versions.join(', ') || 'none named'}`,
        `Requested by: ${actor.ref}`,
        '',
        'Opened by the model-deployments plugin of Backstage.',
      ].join('\n'),
    }).catch(error => {
      throw new Error(
        `Pushed branch ${
          written.branch
        }, but the pull request could not be opened: ${String(
          (error as Error)?.message ?? error,
        )}`,
      );
    });
    if (pullRequest) {
      return outcome(
        'pull-request-opened',
        `${written.existed ? 'Already proposed in' : 'Opened'} pull request #${
          pullRequest.number
        }: ${summary}`,
        { commit, branch: written.branch, pullRequest },
      );
    }
    return outcome(
      'branch-pushed',
      written.existed
        ? `Already proposed on branch ${written.branch}: ${summary}`
        : `Pushed branch ${written.branch} for review: ${summary}`,
      { commit, branch: written.branch },
    );
  }
}
