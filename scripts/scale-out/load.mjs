// Phase `load`: concurrent promotions through the load balancer while an
// outside writer pushes to the same branch; then the answers, the records
// both replicas list, and the history they left.
import {
  brief,
  check,
  config,
  ENTITY,
  finish,
  FROM,
  listPromotions,
  percentile,
  promote,
  state,
  TO,
} from './context.mjs';
import { checkDatabase } from './database.mjs';
import { outsideWriter } from './outside-writer.mjs';
import { checkHistory } from './load-history.mjs';
import { checkRepository, history, replicasAt } from './repository.mjs';

export async function load() {
  const n = config.promotions;
  const before = history();
  const baseline = await listPromotions(config.replicas.a);
  if (
    !check(
      baseline.status === 200,
      'GET /promotions before the load',
      brief(baseline),
    )
  )
    return finish();
  const baselineIds = baseline.body.promotions.map(p => p.id);
  const current = replicasAt('main');
  // Distinct values, none equal to what staging has now: n distinct commits.
  const values = Array.from({ length: n }, (_, i) => 101 + i).filter(
    v => v !== current,
  );
  console.log(
    `  ${n} promotions of ${ENTITY} ${FROM} -> ${TO} (replicas ${
      values[0]
    }..${values.at(-1)}) ` +
      `through the load balancer, ${config.outsideCommits} outside commits meanwhile`,
  );

  let running = true;
  const started = performance.now();
  const outside = outsideWriter(config.outsideCommits, () => running);
  const results = await Promise.all(
    values.map(v =>
      promote(config.proxy, v)
        .catch(error => ({
          status: 0,
          body: String(error.cause ?? error),
          replica: null,
          ms: 0,
        }))
        .then(r => ({ ...r, value: v })),
    ),
  );
  const burstMs = performance.now() - started;
  running = false;
  const { pushed, rejected } = await outside;
  const wallMs = performance.now() - started;

  const byReplica = {};
  for (const r of results)
    byReplica[r.replica] = (byReplica[r.replica] ?? 0) + 1;
  const bad = results.filter(
    r =>
      r.status !== 201 ||
      r.body?.status !== 'committed' ||
      !r.body?.commit?.sha,
  );
  check(
    bad.length === 0,
    `every promotion answered 201 committed (${n - bad.length}/${n})`,
    bad.map(r => `replicas=${r.value}: ${brief(r)}`).join('\n        '),
  );
  check(
    Object.keys(config.replicas).every(name => byReplica[name] > 0),
    `split across both replicas ${JSON.stringify(byReplica)}`,
  );
  const ok = results.filter(r => !bad.includes(r));
  const shas = new Set(ok.map(r => r.body.commit.sha));
  check(shas.size === ok.length, `${ok.length} distinct commits`);
  check(
    pushed.length === config.outsideCommits,
    `outside writer pushed ${pushed.length}/${config.outsideCommits} commits (${rejected} pushes refused as the branch moved, redone)`,
  );

  // The records: each promotion once, the same list through either replica.
  const lists = {};
  for (const [name, base] of Object.entries(config.replicas))
    lists[name] = await listPromotions(base);
  const [la, lb] = [
    lists.a.body.promotions ?? [],
    lists.b.body.promotions ?? [],
  ];
  check(
    lists.a.status === 200 &&
      lists.b.status === 200 &&
      JSON.stringify(la) === JSON.stringify(lb),
    `GET /promotions through replica a and replica b: identical (${la.length} records)`,
    `a: ${brief(lists.a)}\n        b: ${brief(lists.b)}`,
  );
  const newRecords = la.filter(p => !baselineIds.includes(p.id));
  const idCounts = {};
  for (const p of newRecords) idCounts[p.id] = (idCounts[p.id] ?? 0) + 1;
  const shaCounts = {};
  for (const p of newRecords)
    shaCounts[p.commit?.sha] = (shaCounts[p.commit?.sha] ?? 0) + 1;
  const missing = ok.filter(
    r => idCounts[r.body.id] !== 1 || shaCounts[r.body.commit.sha] !== 1,
  );
  check(
    newRecords.length === n && missing.length === 0,
    `each promotion recorded exactly once (${newRecords.length} new records for ${n} promotions)`,
    missing
      .map(
        r =>
          `replicas=${r.value} id=${r.body.id}: ${
            idCounts[r.body.id] ?? 0
          } record(s)`,
      )
      .join(', '),
  );
  check(
    newRecords.every(p => p.status === 'committed'),
    'every new record says committed',
    JSON.stringify(newRecords.filter(p => p.status !== 'committed')).slice(
      0,
      600,
    ),
  );

  const { added, switches, finalValue } = checkHistory({
    before,
    ok,
    pushed,
    rejected,
  });
  checkRepository();
  const counts = await checkDatabase('after the load');

  const latencies = ok.map(r => r.ms);
  state.load = {
    promotions: n,
    committed: ok.length,
    outsideCommits: pushed.length,
    outsidePushesRefused: rejected,
    commitsAdded: added,
    byReplica,
    burstMs,
    wallMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: Math.max(...latencies),
    min: Math.min(...latencies),
    writerSwitches: switches,
    records: counts,
    finalValue,
  };
  console.log(
    `  info  ${n} promotions in ${(burstMs / 1000).toFixed(
      2,
    )} s; latency p50 ${state.load.p50.toFixed(0)} ms, ` +
      `p95 ${state.load.p95.toFixed(0)} ms, max ${state.load.max.toFixed(
        0,
      )} ms`,
  );
  finish();
}
