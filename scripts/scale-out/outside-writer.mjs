// The outside writer of phase `load`: someone pushing to the GitOps branch
// with the git CLI while the promotions run.
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../lib/poll.mjs';
import { config, OUTSIDE_FILE } from './context.mjs';
import { gitAsync } from './repository.mjs';

/**
 * Pushes COUNT commits, each appending a line to OUTSIDE_FILE, spread over
 * the promotions while `running()` says they run; a push the branch moved
 * under is replayed on the new head (at most 30 times).
 * Returns { pushed: shas, rejected: refused pushes }.
 */
export async function outsideWriter(count, running) {
  const dir = path.join(config.work, 'outside');
  await gitAsync(config.work, 'clone', '-q', config.gitUrl, dir);
  const pushed = [];
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    // Spread over the promotions; stop waiting once they are done.
    await waitFor(() => !running(), {
      timeoutMs: 150,
      intervalMs: 50,
      orElse: false,
    });
    await gitAsync(dir, 'pull', '-q', '--rebase', 'origin', 'main');
    fs.appendFileSync(path.join(dir, OUTSIDE_FILE), `outside commit ${i}\n`);
    await gitAsync(dir, 'add', OUTSIDE_FILE);
    await gitAsync(dir, 'commit', '-qm', `Outside commit ${i}`);
    for (let attempt = 0; ; attempt++) {
      try {
        await gitAsync(dir, 'push', '-q', 'origin', 'HEAD:main');
        pushed.push(await gitAsync(dir, 'rev-parse', 'HEAD'));
        break;
      } catch (error) {
        // The branch moved: replay the commit on the new head, as people do.
        rejected++;
        if (attempt >= 30) throw error;
        await gitAsync(dir, 'pull', '-q', '--rebase', 'origin', 'main');
      }
    }
  }
  return { pushed, rejected };
}
