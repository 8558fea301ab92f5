import { createHash } from 'crypto';
import path from 'path';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  Environment,
  EnvironmentGitState,
  GitOpsSource,
} from '@seed-mlops/plugin-model-deployments-common';
import { AuthCallback } from 'isomorphic-git';
import { GitMirror } from './GitMirror';
import {
  GitFileError,
  indexManifests,
  ManifestIndex,
  parseManifests,
} from './parseManifests';

/** The desired state of one environment, as last read from Git. */
export interface EnvironmentDesiredState {
  git: EnvironmentGitState;
  /** The manifests; empty when nothing could be read yet. */
  index: ManifestIndex;
}

interface ParsedFolder {
  index: ManifestIndex;
  errors: GitFileError[];
}

const EMPTY_INDEX: ManifestIndex = { byIdentity: new Map(), byKind: new Map() };

interface MirrorState {
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

/** The folder without surrounding slashes; '' for the repository root. */
function folderOf(source: GitOpsSource) {
  // Config reading and discovery default the path (Seldon's layout: the namespace).
  return (source.path ?? '').replace(/^\/+|\/+$/g, '');
}

/** Never let a credential into a message that reaches logs or the browser. */
function redact(message: string) {
  return message.replace(/\/\/[^/@\s]+@/g, '//***@');
}

/**
 * Keeps a mirror of every environment's GitOps repository, fetched on a
 * schedule and on demand. Page views read the last fetched commit and never
 * wait for a clone; an environment whose repository cannot be fetched keeps
 * its last good commit and says why.
 */
export class GitOpsService {
  private readonly mirrors = new Map<string, MirrorState>();
  /** Parsed and indexed folders of each repository's current commit. */
  private readonly parsed = new Map<string, ParsedFolder>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly options: {
      cacheDir: string;
      depth: number;
      timeoutMs: number;
      refreshIntervalMs: number;
      logger: LoggerService;
      integrations?: ScmIntegrationRegistry;
    },
  ) {}

  private key(source: GitOpsSource) {
    return `${source.repoUrl}#${source.branch ?? ''}`;
  }

  private onAuthFor(url: string): AuthCallback | undefined {
    const integrations = this.options.integrations;
    const integration = integrations?.byUrl(url);
    if (!integrations || !integration) return undefined;
    if (integration.type === 'github') {
      const provider =
        DefaultGithubCredentialsProvider.fromIntegrations(integrations);
      return async () => {
        const { token } = await provider.getCredentials({ url });
        return token ? { username: 'x-access-token', password: token } : {};
      };
    }
    // GitLab, Gitea, Bitbucket Server and friends keep a token in config.
    const token = (integration as unknown as { config?: { token?: string } })
      .config?.token;
    return token ? () => ({ username: 'oauth2', password: token }) : undefined;
  }

  private stateOf(source: GitOpsSource): MirrorState {
    const key = this.key(source);
    let state = this.mirrors.get(key);
    if (!state) {
      const digest = createHash('sha256')
        .update(key)
        .digest('hex')
        .slice(0, 16);
      state = {
        mirror: new GitMirror({
          url: source.repoUrl,
          branch: source.branch,
          gitdir: path.join(this.options.cacheDir, digest),
          depth: this.options.depth,
          timeoutMs: this.options.timeoutMs,
          onAuth: this.onAuthFor(source.repoUrl),
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
    if (!state.syncing) {
      state.syncing = state.mirror
        .sync()
        .then(commit => {
          state.commit = commit;
          state.fetchedAt = new Date();
          state.error = undefined;
          state.failures = 0;
        })
        .catch(error => {
          const message = redact(
            `Cannot fetch ${source.repoUrl}: ${String(
              (error as Error)?.message ?? error,
            )}`,
          );
          if (state.error !== message) this.options.logger.warn(message);
          state.error = message;
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
        })
        .finally(() => {
          state.syncing = undefined;
        });
    }
    return state.syncing;
  }

  /** Fetches every environment's repository now and then every interval. */
  start(environments: () => Environment[]) {
    const refreshAll = () =>
      Promise.all(
        environments()
          .filter(e => e.gitops)
          .map(e => this.refresh(e.gitops!)),
      );
    const started = refreshAll();
    this.timer = setInterval(refreshAll, this.options.refreshIntervalMs);
    this.timer.unref?.();
    return started;
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    for (const state of this.mirrors.values()) {
      clearTimeout(state.retryTimer);
    }
  }

  /**
   * The environment's desired state from the last fetched commit. Waits for
   * a first fetch in progress for at most `waitMs`, never for a later one.
   */
  async desiredState(
    env: Environment,
    waitMs: number,
  ): Promise<EnvironmentDesiredState | undefined> {
    const source = env.gitops;
    if (!source) return undefined;
    const state = this.stateOf(source);
    if (!state.commit && !state.error) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.refresh(source),
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const folder = folderOf(source);
    const git: EnvironmentGitState = {
      repoUrl: source.repoUrl,
      ...(source.branch ? { branch: source.branch } : {}),
      path: folder,
      fileErrors: [],
      ...(state.commit ? { commit: state.commit } : {}),
      ...(state.fetchedAt ? { fetchedAt: state.fetchedAt.toISOString() } : {}),
      ...(state.error ? { error: state.error } : {}),
    };
    if (!state.commit) {
      if (!git.error) git.error = 'The repository has not been fetched yet.';
      return { git, index: EMPTY_INDEX };
    }
    const cacheKey = `${this.key(source)}@${state.commit}:${folder}`;
    let parsed = this.parsed.get(cacheKey);
    if (!parsed) {
      const { manifests, errors } = parseManifests(
        await state.mirror.readFolder(state.commit, folder),
      );
      parsed = { index: indexManifests(manifests), errors };
      // Keep only the current commit's folders.
      for (const key of this.parsed.keys()) {
        if (
          key.startsWith(`${this.key(source)}@`) &&
          !key.includes(state.commit)
        ) {
          this.parsed.delete(key);
        }
      }
      this.parsed.set(cacheKey, parsed);
    }
    git.fileErrors = parsed.errors;
    return { git, index: parsed.index };
  }
}
