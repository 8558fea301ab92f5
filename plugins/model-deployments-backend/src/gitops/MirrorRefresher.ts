import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitOpsSource } from '@seed-mlops/plugin-model-deployments-common';
import { onAuthFor } from './gitCredentials';
import { describeGitError } from './gitErrors';
import { GitHostAllowList } from './GitHostAllowList';
import { GitMirror } from './GitMirror';
import { gitDirOf, mirrorKeyOf } from './gitSources';
import { redact } from './redact';

/** A read mirror and what its last fetch found. */
export interface MirrorState {
  mirror: GitMirror;
  commit?: string;
  fetchedAt?: Date;
  error?: string;
  syncing?: Promise<void>;
  /** Fetches failed in a row; retries back off from 2 s up to the refresh interval. */
  failures: number;
  retryTimer?: NodeJS.Timeout;
}

const FIRST_RETRY_MS = 2_000;

/**
 * Keeps one read mirror per repository and branch and fetches it on demand.
 * A failed fetch keeps the last good commit, says why, and is retried.
 */
export class MirrorRefresher {
  private readonly mirrors = new Map<string, MirrorState>();
  private stopped = false;

  constructor(
    private readonly options: {
      cacheDir: string;
      depth: number;
      timeoutMs: number;
      refreshIntervalMs: number;
      logger: LoggerService;
      integrations?: ScmIntegrationRegistry;
      allowList: GitHostAllowList;
      /** Told when a fetch moved the branch, or the mirror's error changed. */
      onMirrorChanged?: (source: GitOpsSource) => void;
    },
  ) {}

  /** The source's mirror and its last fetch, created unfetched on first use. */
  stateOf(source: GitOpsSource): MirrorState {
    const key = mirrorKeyOf(source);
    let state = this.mirrors.get(key);
    if (!state) {
      state = {
        mirror: new GitMirror({
          url: source.repoUrl,
          branch: source.branch,
          gitdir: gitDirOf(this.options.cacheDir, source, 'read'),
          depth: this.options.depth,
          timeoutMs: this.options.timeoutMs,
          onAuth: onAuthFor(this.options.integrations, source.repoUrl),
        }),
        failures: 0,
      };
      this.mirrors.set(key, state);
    }
    return state;
  }

  /** Fetches one repository; concurrent calls share one fetch. */
  refresh(source: GitOpsSource): Promise<void> {
    const state = this.stateOf(source);
    const problem = this.options.allowList.problem(source.repoUrl);
    if (problem) {
      // Not even a first request: the URL came from a namespace annotation or config.
      state.error = redact(`Cannot fetch ${source.repoUrl}: ${problem}`);
      return Promise.resolve();
    }
    if (!state.syncing) {
      state.syncing = state.mirror
        .sync()
        .then(commit => {
          const changed = state.commit !== commit || state.error !== undefined;
          state.commit = commit;
          state.fetchedAt = new Date();
          state.error = undefined;
          state.failures = 0;
          if (changed) this.options.onMirrorChanged?.(source);
        })
        .catch(error => {
          const message = redact(
            `Cannot fetch ${source.repoUrl}: ${describeGitError(error)}`,
          );
          const changed = state.error !== message;
          if (changed) this.options.logger.warn(message);
          state.error = message;
          if (changed) this.options.onMirrorChanged?.(source);
          this.retryLater(source, state);
        })
        .finally(() => {
          state.syncing = undefined;
        });
    }
    return state.syncing;
  }

  /** Stops the retries of failed fetches. */
  stop() {
    this.stopped = true;
    for (const state of this.mirrors.values()) {
      clearTimeout(state.retryTimer);
    }
  }

  private retryLater(source: GitOpsSource, state: MirrorState) {
    // A repository that was down (or not up yet) is tried again soon,
    // not only at the next scheduled refresh.
    const delay = Math.min(
      FIRST_RETRY_MS * 2 ** state.failures,
      this.options.refreshIntervalMs,
    );
    state.failures++;
    if (!this.stopped) {
      clearTimeout(state.retryTimer);
      state.retryTimer = setTimeout(() => this.refresh(source), delay);
      state.retryTimer.unref?.();
    }
  }
}
