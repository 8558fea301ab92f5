// The GitOps repository the demo Git server serves: git as the outside
// writer, main's history and manifests, and the checks that nothing is
// half-written, corrupt or lost.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { check, config, FILE, requireFrom } from './context.mjs';

const YAML = requireFrom('packages/demo-cluster')('yaml');
const execFileAsync = promisify(execFile);

const IDENTITY = [
  '-c',
  'user.name=Outside writer',
  '-c',
  'user.email=outside@example.com',
];
const gitEnv = () => ({
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
});

export function git(cwd, ...args) {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: gitEnv(),
  }).trim();
}
/** git without blocking the event loop, so the promotions' answers are timed right. */
export async function gitAsync(cwd, ...args) {
  const { stdout } = await execFileAsync('git', [...IDENTITY, ...args], {
    cwd,
    env: gitEnv(),
  });
  return stdout.trim();
}
export const serverGit = (...args) => git(config.gitDir, ...args);

/** main's commits, newest first: { sha, parents, subject }. */
export function history() {
  return serverGit('log', '--format=%H %P%x09%s', 'main')
    .split('\n')
    .map(line => {
      const [shas, subject] = line.split('\t');
      const [sha, ...parents] = shas.split(' ');
      return { sha, parents, subject };
    });
}
export function replicasAt(sha) {
  const manifest = JSON.parse(serverGit('show', `${sha}:${FILE}`));
  return manifest.spec.predictors[0].replicas;
}

/** The repository as a whole: fsck, no leftover locks or quarantines. */
export function checkRepository() {
  let fsck = '';
  let ok = true;
  try {
    fsck = execFileSync(
      'git',
      ['fsck', '--full', '--strict', '--no-progress'],
      {
        cwd: config.gitDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    ok = false;
    fsck = `${error.stdout}${error.stderr}`;
  }
  check(ok, 'git fsck --full --strict on the served repository', fsck.trim());
  const leftovers = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.name.endsWith('.lock') || entry.name.startsWith('incoming-')) {
        leftovers.push(path.relative(config.gitDir, p));
      }
      if (entry.isDirectory()) walk(p);
    }
  };
  walk(config.gitDir);
  check(
    leftovers.length === 0,
    'no lock files or push quarantines left',
    leftovers.join(', '),
  );
}

/** The head commit is complete: every file of its tree reads, manifests parse. */
export function checkHead() {
  const head = serverGit('rev-parse', 'main');
  check(
    serverGit('cat-file', '-t', head) === 'commit',
    `head ${head.slice(0, 8)} is a commit`,
  );
  const files = serverGit(
    'ls-tree',
    '-r',
    '--format=%(objecttype) %(objectname) %(path)',
    head,
  )
    .split('\n')
    .map(line => line.split(' '));
  const problems = [];
  for (const [type, oid, file] of files) {
    if (type !== 'blob') continue;
    let text;
    try {
      text = serverGit('cat-file', 'blob', oid);
    } catch (error) {
      problems.push(`${file}: ${error.message}`);
      continue;
    }
    try {
      if (/\.json$/.test(file)) JSON.parse(text);
      else if (/\.ya?ml$/.test(file))
        YAML.parseAllDocuments(text).forEach(d => {
          if (d.errors.length) throw d.errors[0];
        });
    } catch (error) {
      problems.push(`${file}: ${error.message}`);
    }
  }
  check(
    problems.length === 0,
    `head's tree: ${files.length} files read, every manifest parses`,
    problems.join('; '),
  );
  return head;
}

export function checkLinear(label) {
  const commits = history();
  const merges = commits.filter(c => c.parents.length > 1);
  check(
    merges.length === 0,
    `${label}: history linear (${commits.length} commits, no merge)`,
    merges.map(m => m.sha).join(', '),
  );
  return commits;
}
