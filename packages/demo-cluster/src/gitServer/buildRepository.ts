import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** The identity the demo's commits are made as, unless a commit plan names another. */
const DEMO_AUTHOR = { name: 'Seldon Deploy', email: 'deploy@example.com' };

/** One planned commit of a demo repository, from its `.history.json`. */
interface PlannedCommit {
  /** Files or folders (relative to the repository) the commit adds, in order. */
  paths: string[];
  /**
   * Earlier versions: repository path to the file (under `.history/`) whose
   * content it gets in this commit, so a file can change over the history.
   */
  files?: Record<string, string>;
  author?: { name: string; email: string };
  /** ISO date of the commit. */
  date?: string;
  /** Seldon Enterprise Platform's JSON commit message fields. */
  action: string;
  message?: string;
}

async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
      ...env,
    },
  });
  return stdout.trim();
}

/** Copies into `work` what one planned commit adds: earlier versions, then paths. */
function copyCommitFiles(source: string, work: string, commit: PlannedCommit) {
  for (const [target, version] of Object.entries(commit.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(work, target)), {
      recursive: true,
    });
    fs.copyFileSync(path.join(source, version), path.join(work, target));
  }
  for (const relative of commit.paths) {
    const target = path.join(work, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(path.join(source, relative), target, {
      recursive: true,
      filter: src =>
        !['.history.json', '.history'].includes(path.basename(src)),
    });
  }
}

/**
 * Builds `<root>/<name>.git` from `<sourceDir>/<name>/`, replacing any older
 * copy: one commit per entry of the folder's optional `.history.json`, else
 * a single commit.
 */
export async function buildRepository(
  sourceDir: string,
  root: string,
  name: string,
) {
  const source = path.join(sourceDir, name);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `demo-git-${name}-`));
  const bare = path.join(root, `${name}.git`);
  try {
    fs.rmSync(bare, { recursive: true, force: true });
    await git(work, ['init', '-q', '-b', 'main']);
    const historyFile = path.join(source, '.history.json');
    const plan: PlannedCommit[] = fs.existsSync(historyFile)
      ? JSON.parse(fs.readFileSync(historyFile, 'utf8'))
      : [{ paths: ['.'], action: 'Initial state' }];
    let planned = 0;
    for (const commit of plan) {
      copyCommitFiles(source, work, commit);
      planned++;
      const author = commit.author ?? DEMO_AUTHOR;
      const date =
        commit.date ?? new Date(Date.UTC(2026, 10, planned)).toISOString();
      await git(work, ['add', '-A']);
      await git(
        work,
        [
          'commit',
          '-q',
          '--allow-empty',
          '-m',
          JSON.stringify({
            Action: commit.action,
            Message: commit.message ?? '',
            Author: author.name,
            Email: author.email,
          }),
        ],
        {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_NAME: DEMO_AUTHOR.name,
          GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email,
          GIT_COMMITTER_DATE: date,
        },
      );
    }
    await git(root, ['clone', '-q', '--bare', work, bare]);
    // Lets clients push, as later promotion commits do.
    await git(bare, ['config', 'http.receivepack', 'true']);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
