// Phase `events`: a promotion through one replica moves the other replica's
// Git mirror through the event bus (the events backend on PostgreSQL), not
// at its next scheduled refresh, which run.sh sets 10 minutes away.
import { waitFor } from '../lib/poll.mjs';
import {
  api,
  brief,
  call,
  check,
  config,
  ENTITY,
  finish,
  promote,
  state,
  TO,
} from './context.mjs';

/** The commit of TO's desired state as `base` sees it. */
async function targetCommit(base) {
  const r = await call(
    base,
    'GET',
    `${api}/deployments?entityRef=${encodeURIComponent(ENTITY)}`,
  );
  if (r.status !== 200) throw new Error(brief(r));
  return r.body.environments?.find(e => e.environment.name === TO)?.git?.commit;
}

/** Promotes through `writer`; resolves to how long `reader` took to see the commit. */
async function pushSeenBy(writer, reader, replicas) {
  const promoted = await promote(config.replicas[writer], replicas);
  const sha = promoted.body?.commit?.sha;
  if (promoted.status !== 201 || !sha) {
    check(false, `promotion through replica ${writer}`, brief(promoted));
    return undefined;
  }
  const started = performance.now();
  const seen = await waitFor(
    async () => (await targetCommit(config.replicas[reader])) === sha,
    { timeoutMs: 15_000, intervalMs: 100, what: 'commit seen', orElse: false },
  );
  const ms = performance.now() - started;
  check(
    seen,
    `replica ${reader} reads ${TO} at ${sha.slice(
      0,
      7,
    )}, pushed by replica ${writer}, ${
      seen ? `${ms.toFixed(0)} ms after the answer` : 'not within 15 s'
    }`,
    seen
      ? undefined
      : `it still reads ${await targetCommit(config.replicas[reader])}`,
  );
  return seen ? ms : undefined;
}

export async function events() {
  const aToB = await pushSeenBy('a', 'b', 301);
  const bToA = await pushSeenBy('b', 'a', 302);
  state.events = { aToB, bToA };
  finish();
}
