import { execFile } from 'child_process';
import path from 'path';
import { promisify } from 'util';
import { parseAllDocuments } from 'yaml';
import { MODEL_SERVING_TYPES, apiVersionOf } from './resourceTypes';
import { SyncObjectRef, SyncRejectedError, SyncTarget } from './SyncTarget';

const execFileAsync = promisify(execFile);

/** One environment the sync tool keeps in line with a folder of a repository. */
export interface DemoSyncMapping {
  /** Repository name on the demo Git server, e.g. `models` for `models.git`. */
  repository: string;
  branch: string;
  /** Folder in the repository; '' for the root. */
  path: string;
  /** Namespace the folder's manifests are applied to. */
  namespace: string;
}

/** Options of {@link DemoSyncTool}. */
export interface DemoSyncToolOptions {
  /** Where changes are applied: the demo cluster or a real API server. */
  target: SyncTarget;
  /** Folder of the demo Git server's bare repositories. */
  repositoriesDir: string;
  mappings: DemoSyncMapping[];
  /** How often the branches are polled. Default 2 s. */
  intervalMs?: number;
  /** How long an applied change takes to become Ready. Default 3 s. */
  rolloutMs?: number;
  /** Failures of a poll or of a rollout's last step; the tool keeps going. */
  onError?: (error: Error) => void;
}

type Phase = 'progressing' | 'ready';

function readyConditions(types: string[], phase: Phase) {
  const now = new Date().toISOString();
  return types.map(type => ({
    type,
    status: phase === 'ready' ? 'True' : 'False',
    ...(phase === 'ready'
      ? {}
      : { reason: 'Progressing', message: 'Rolling out the new version' }),
    lastTransitionTime: now,
  }));
}

/** A status like the operator would write, for a rollout in `phase`. */
function statusFor(object: Record<string, any>, previous: any, phase: Phase) {
  const spec = object.spec ?? {};
  const name = object.metadata.name;
  const namespace = object.metadata.namespace;
  switch (object.kind) {
    case 'SeldonDeployment': {
      const deploymentStatus: Record<string, unknown> = {};
      for (const predictor of spec.predictors ?? []) {
        const replicas = predictor.replicas ?? spec.replicas ?? 1;
        deploymentStatus[
          `${name}-${predictor.name}-0-${predictor.graph?.name ?? 'model'}`
        ] = {
          replicas,
          availableReplicas: phase === 'ready' ? replicas : 0,
        };
      }
      return {
        ...previous,
        state: phase === 'ready' ? 'Available' : 'Creating',
        deploymentStatus,
        address: previous?.address ?? {
          url: `http://${name}-default.${namespace}.svc.cluster.local:8000/api/v1.0/predictions`,
        },
      };
    }
    case 'Model':
      return {
        ...previous,
        availableReplicas: phase === 'ready' ? spec.replicas ?? 1 : 0,
        conditions: readyConditions(['ModelReady', 'Ready'], phase).map(c =>
          c.type === 'ModelReady'
            ? {
                ...c,
                message:
                  phase === 'ready' ? 'ModelAvailable' : 'ModelProgressing',
              }
            : c,
        ),
      };
    case 'InferenceService':
      return {
        ...previous,
        url: previous?.url ?? `http://${name}.${namespace}.example.com`,
        conditions: readyConditions(
          ['IngressReady', 'PredictorReady', 'Ready'],
          phase,
        ),
      };
    default:
      return {
        ...previous,
        conditions: readyConditions(['Ready'], phase),
      };
  }
}

/**
 * The demo's stand-in for Argo CD or Flux: polls the demo Git server and,
 * when a mapped folder changes, applies the changed manifests to its
 * {@link SyncTarget} (the demo cluster or a real API server) with a short
 * simulated rollout: the status is Progressing, then Ready, as an operator
 * would write it. Only files changed after it started are applied, so the
 * demo's deliberate drift stays until someone changes Git.
 */
export class DemoSyncTool {
  private readonly seen = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private interval?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly options: DemoSyncToolOptions) {}

  private async git(repository: string, args: string[]) {
    const { stdout } = await execFileAsync(
      'git',
      [
        '--git-dir',
        path.join(this.options.repositoriesDir, `${repository}.git`),
        ...args,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  }

  private async head(mapping: DemoSyncMapping) {
    return (
      await this.git(mapping.repository, [
        'rev-parse',
        `refs/heads/${mapping.branch}`,
      ])
    ).trim();
  }

  /** Remembers where each branch is; applies nothing. */
  async start(): Promise<void> {
    for (const mapping of this.options.mappings) {
      this.seen.set(
        mapping.repository + mapping.path,
        await this.head(mapping),
      );
    }
    this.interval = setInterval(() => {
      this.running ??= this.sync()
        .catch(error => this.options.onError?.(error))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs ?? 2_000);
    this.interval.unref?.();
  }

  stop() {
    clearInterval(this.interval);
    this.timers.forEach(timer => clearTimeout(timer));
    this.timers.clear();
  }

  /** Applies what changed in each mapped folder since the last look. */
  async sync(): Promise<number> {
    let applied = 0;
    for (const mapping of this.options.mappings) {
      const key = mapping.repository + mapping.path;
      const head = await this.head(mapping);
      const last = this.seen.get(key);
      if (head === last) continue;
      const changed = (
        await this.git(mapping.repository, [
          'diff',
          '--name-only',
          '--diff-filter=AM',
          `${last}..${head}`,
          '--',
          mapping.path || '.',
        ])
      )
        .split('\n')
        .filter(file => /\.(ya?ml|json)$/i.test(file));
      for (const file of changed) {
        const content = await this.git(mapping.repository, [
          'show',
          `${head}:${file}`,
        ]);
        for (const document of parseAllDocuments(content)) {
          try {
            if (await this.apply(document.toJS(), mapping.namespace)) {
              applied++;
            }
          } catch (error) {
            // Anything else (e.g. the cluster unreachable) ends this look;
            // the commit is tried again at the next one.
            if (!(error instanceof SyncRejectedError)) throw error;
            this.options.onError?.(
              new Error(
                `${mapping.repository}.git ${file} not applied until it changes: ${error.message}`,
              ),
            );
          }
        }
      }
      this.seen.set(key, head);
    }
    return applied;
  }

  /**
   * Applies one manifest to the mapped namespace and starts its simulated
   * rollout. Only the model-serving kinds are applied; anything else in the
   * folder is left alone, as it would be by a sync tool scoped to them.
   */
  private async apply(manifest: any, namespace: string): Promise<boolean> {
    const type = MODEL_SERVING_TYPES.find(t => t.kind === manifest?.kind);
    if (!type || !manifest.metadata?.name) return false;
    const { status: _fromGit, ...desired } = {
      ...manifest,
      metadata: { ...manifest.metadata, namespace },
    };
    const ref: SyncObjectRef = {
      apiVersion: manifest.apiVersion ?? apiVersionOf(type),
      kind: type.kind,
      namespace,
      name: desired.metadata.name,
    };
    const { target } = this.options;
    const previous = (await target.get(ref))?.status;
    await target.apply(desired);
    await target.setStatus(ref, statusFor(desired, previous, 'progressing'));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      target
        .setStatus(ref, statusFor(desired, previous, 'ready'))
        .catch(error => this.options.onError?.(error));
    }, this.options.rolloutMs ?? 3_000);
    timer.unref?.();
    this.timers.add(timer);
    return true;
  }
}
