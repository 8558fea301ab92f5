// Phase `restarted`: replica b, restarted on its old working directory,
// promotes again; both replicas list the same; the final Git and database
// checks, the record the killed replica left running settled.
import { waitFor } from '../lib/poll.mjs';
import {
  api,
  brief,
  call,
  check,
  config,
  finish,
  listPromotions,
  promote,
  state,
} from './context.mjs';
import { checkDatabase, database } from './database.mjs';
import {
  checkHead,
  checkLinear,
  checkRepository,
  replicasAt,
} from './repository.mjs';

export async function restarted() {
  let health;
  const up = await waitFor(
    async () => {
      health = await call(config.replicas.b, 'GET', `${api}/health`).catch(
        e => ({ status: 0, body: String(e) }),
      );
      return health.status === 200;
    },
    { timeoutMs: 120_000, intervalMs: 500, orElse: false },
  );
  check(up, 'replica b restarted on its old working directory', brief(health));
  const r = await promote(config.replicas.b, 701);
  check(
    r.status === 201 && r.body.status === 'committed',
    `replica b promotes again (replicas 701) in ${r.ms.toFixed(0)} ms`,
    brief(r),
  );
  const viaLb = [];
  for (const v of [702, 703]) viaLb.push(await promote(config.proxy, v));
  const served = viaLb
    .map(x => x.replica)
    .sort()
    .join(',');
  check(
    viaLb.every(x => x.status === 201 && x.body.status === 'committed') &&
      served === 'a,b',
    `through the load balancer again: ${viaLb
      .map(x => `${x.status} from ${x.replica}`)
      .join(', ')}`,
    viaLb.map(brief).join('\n        '),
  );
  const [la, lb] = [
    await listPromotions(config.replicas.a),
    await listPromotions(config.replicas.b),
  ];
  check(
    la.status === 200 && JSON.stringify(la.body) === JSON.stringify(lb.body),
    `both replicas list the same ${la.body.promotions?.length} promotions`,
  );
  const ids = la.body.promotions?.map(p => p.id) ?? [];
  check(new Set(ids).size === ids.length, 'no promotion listed twice');
  const commits = checkLinear('at the end');
  checkRepository();
  checkHead();
  check(
    replicasAt('main') === 703,
    'the final manifest is the last promotion (replicas 703)',
  );
  // A promotion the killed replica left running is settled by a replica
  // (a global scheduler task) once promotion.staleAfter has passed.
  if (state.killedRecord) {
    let record;
    await waitFor(
      async () => {
        [record] = await database(
          `select status, message from promotions where id = '${state.killedRecord}'`,
        );
        return record?.status !== 'running';
      },
      { timeoutMs: 90_000, intervalMs: 1000, orElse: false },
    );
    check(
      record?.status === 'failed' && /^Stopped unfinished/.test(record.message),
      `the promotion the killed replica left running was settled as failed`,
      JSON.stringify(record),
    );
  }
  const counts = await checkDatabase('at the end');
  const inGit = new Set(commits.map(c => c.sha));
  const rows = await database(
    'select commit_sha from promotions where commit_sha is not null',
  );
  const orphans = rows.filter(row => !inGit.has(row.commit_sha));
  check(
    orphans.length === 0,
    `every recorded commit (${rows.length}) is on main`,
    JSON.stringify(orphans),
  );
  state.end = { commits: commits.length, records: counts };
  finish();
}
