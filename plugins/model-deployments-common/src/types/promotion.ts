import type { EnvironmentFreeze } from './api';
import type { PromotionApproval } from './approval';
/**
 * How a promotion reaches the target environment's Git: a commit on its
 * branch, or a pull request (a pushed branch where the host has none).
 *
 * @public
 */
export type PromotionStrategy = 'commit' | 'pull-request';

/**
 * A request to copy a model's deployments from one environment to the next.
 *
 * @public
 */
export interface PromotionRequest {
  /** The model's catalog entity, e.g. `component:default/fraud-scorer`. */
  entityRef: string;
  /** Source environment; defaults to the stage before `to`. */
  from?: string;
  /** Target environment. */
  to: string;
  /** Defaults to the target environment's configured strategy. */
  strategy?: PromotionStrategy;
  overrides?: { replicas?: number };
  /** Promote a source that is not Ready. */
  force?: boolean;
  /** Work out the change and return its diff; write nothing. */
  dryRun?: boolean;
}

/**
 * What a promotion did, or would do on a dry run. `running` is a recorded
 * promotion still being written; one left so by a backend replica that
 * stopped is settled as `failed` by another. A recorded
 * `pull-request-opened` later becomes `pull-request-merged` or
 * `pull-request-closed` (closed without merging) when the backend sees its
 * pull request so. In an environment that requires approval, a promotion by
 * commit is recorded as `pending-approval`; it runs once approved (and then
 * ends like any other), or ends `rejected` or `expired`.
 *
 * @public
 */
export type PromotionStatus =
  | 'committed'
  | 'pull-request-opened'
  | 'pull-request-merged'
  | 'pull-request-closed'
  | 'branch-pushed'
  | 'up-to-date'
  | 'dry-run'
  | 'failed'
  | 'running'
  | 'pending-approval'
  | 'rejected'
  | 'expired';

/**
 * One file a promotion writes.
 *
 * @public
 */
export interface PromotionFile {
  path: string;
  /** `delete`: a rollback removes a file the model did not have then. */
  change: 'create' | 'update' | 'delete';
}

/**
 * What a recorded change does: a promotion moves a model forward from one
 * environment to the next; a rollback restores one environment's manifests
 * of the model to an earlier state (`from` and `to` are that environment).
 *
 * @public
 */
export type PromotionKind = 'promotion' | 'rollback';

/**
 * What a rollback restores: the model's manifests as a recorded promotion
 * into the environment left them, or as they were at a commit of the
 * environment's Git history.
 *
 * @public
 */
export type RollbackTarget = { promotionId: string } | { commit: string };

/**
 * Body of `POST /rollbacks`.
 *
 * @public
 */
export interface RollbackRequest {
  /** The model, e.g. `component:default/fraud-scorer`. */
  entityRef: string;
  /** The environment whose manifests of the model are restored. */
  environment: string;
  to: RollbackTarget;
  /** A commit to the branch (default), or a branch and a pull request. */
  strategy?: PromotionStrategy;
  /** Roll back into a frozen environment (needs the force-promote permission). */
  force?: boolean;
  /** Work out the change (and its diff) without writing anything. */
  dryRun?: boolean;
}

/**
 * One verification gate of the source environment, as checked before a
 * promotion out of it: whether it passed, the value it saw and what it
 * expects. A failing gate refuses the promotion unless it is forced.
 *
 * @public
 */
export interface PromotionGateResult {
  /** `source-ready`, `soak-time`, or the metric's configured name. */
  name: string;
  kind: 'source-ready' | 'soak-time' | 'metric';
  passed: boolean;
  /** What was seen, e.g. `0.7 %` or `Ready for 12 min`; absent when nothing could be read. */
  value?: string;
  /** What the gate asks for, e.g. `at most 1` or `at least 30 min`. */
  expected: string;
  /** One line for people, saying why when it failed. */
  message: string;
}

/**
 * The result of a promotion.
 *
 * @public
 */
export interface PromotionResult {
  /** The stored record, when the promotion was recorded (not for dry runs). */
  id?: string;
  kind: PromotionKind;
  /** For a rollback: the commit restored, and the promotion it came from. */
  restored?: { commit: string; promotionId?: string };
  status: PromotionStatus;
  entityRef: string;
  from: string;
  to: string;
  strategy: PromotionStrategy;
  /** One line saying what happened. */
  message: string;
  /** The files written (or that would be). */
  files: PromotionFile[];
  /**
   * Unified diff of the target files; empty when up to date, and when the
   * caller may not read the target environment (see `diffWithheld`).
   */
  diff: string;
  /** Why the diff is not shown: the caller may not read the target's manifests. */
  diffWithheld?: string;
  /** Versions (model URIs or images) promoted. */
  versions: string[];
  /**
   * What the target cluster's API server said of the manifests before
   * anything was written (a server-side dry run). A manifest it would
   * reject stops the promotion with an error instead.
   */
  clusterCheck?: PromotionClusterCheck;
  /** The source environment's verification gates, when it has any. */
  gates?: PromotionGateResult[];
  /** The target's freeze window, when one is on (the change needed force). */
  frozen?: EnvironmentFreeze;
  /**
   * The target's approval: on a dry run, the policy a promotion by commit
   * waits for (a pull request is not held, whatever the strategy asked);
   * on a recorded promotion, who has decided so far.
   */
  approval?: PromotionApproval;
  /** The commit made, with its web page when the host is known. */
  commit?: { sha: string; url?: string };
  /** The branch written to. */
  branch?: string;
  pullRequest?: { number: number; url: string };
  /**
   * True when the answer is the record of an earlier request with the same
   * `Idempotency-Key`: nothing was done again, and `files` and `diff` are
   * empty.
   */
  replayed?: boolean;
}

/**
 * The target cluster's answer to a server-side dry run of the promoted
 * manifests: `accepted` when its API server (schema validation and
 * admission) would store every one; `skipped` when it could not be asked,
 * with the reason (no RBAC for dry runs, unreachable, not supported).
 *
 * @public
 */
export interface PromotionClusterCheck {
  state: 'accepted' | 'skipped';
  message: string;
}

/**
 * A promotion as recorded.
 *
 * @public
 */
export interface PromotionRecord {
  id: string;
  kind: PromotionKind;
  /** For a rollback: the commit restored, and the promotion it came from. */
  restored?: { commit: string; promotionId?: string };
  entityRef: string;
  from: string;
  to: string;
  strategy: PromotionStrategy;
  status: PromotionStatus;
  /** The user or service that asked, as an entity ref or subject. */
  actor: string;
  createdAt: string;
  versions: string[];
  message: string;
  commit?: { sha: string; url?: string };
  branch?: string;
  pullRequest?: { number: number; url: string };
  /** For a promotion that needed approval: its policy and the decisions. */
  approval?: PromotionApproval;
}

/**
 * Response of `GET /promotions?entityRef=…`: newest first.
 *
 * @public
 */
export interface PromotionsResponse {
  entityRef: string;
  promotions: PromotionRecord[];
}
