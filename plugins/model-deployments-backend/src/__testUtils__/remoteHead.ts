import { execFile } from 'child_process';
import os from 'os';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** The commit a branch of a served repository points at, or '' without one (git ls-remote). */
export async function remoteHead(url: string, branch = 'main') {
  const { stdout } = await execFileAsync(
    'git',
    ['ls-remote', url, `refs/heads/${branch}`],
    { cwd: os.tmpdir() },
  );
  return stdout.split(/\s/)[0] ?? '';
}
