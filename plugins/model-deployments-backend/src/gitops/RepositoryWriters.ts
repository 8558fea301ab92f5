import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitOpsSource } from '@seed-mlops/plugin-model-deployments-common';
import { onAuthFor } from './gitCredentials';
import { GitHostAllowList } from './GitHostAllowList';
import { gitDirOf } from './gitSources';
import { GitWriter, GitWriterOptions } from './GitWriter';
import { redact } from './redact';
import { RepositoryLock } from './RepositoryLock';

/** One writer per repository, created on first use. */
export class RepositoryWriters {
  private readonly writers = new Map<string, GitWriter>();

  constructor(
    private readonly options: {
      cacheDir: string;
      timeoutMs: number;
      integrations?: ScmIntegrationRegistry;
      allowList: GitHostAllowList;
      lock?: RepositoryLock;
      onPushed?: GitWriterOptions['onPushed'];
    },
  ) {}

  /**
   * The writer of the source's repository, shared by every promotion into
   * it so that they take turns. Its Git data is apart from the read mirror.
   */
  writerFor(source: GitOpsSource): GitWriter {
    const problem = this.options.allowList.problem(source.repoUrl);
    if (problem) {
      throw new NotAllowedError(
        `The GitOps repository ${redact(
          source.repoUrl,
        )} may not be written: ${problem}`,
      );
    }
    let writer = this.writers.get(source.repoUrl);
    if (!writer) {
      writer = new GitWriter({
        url: source.repoUrl,
        gitdir: gitDirOf(this.options.cacheDir, source, 'write'),
        onAuth: onAuthFor(this.options.integrations, source.repoUrl),
        timeoutMs: this.options.timeoutMs,
        lock: this.options.lock,
        onPushed: this.options.onPushed,
      });
      this.writers.set(source.repoUrl, writer);
    }
    return writer;
  }
}
