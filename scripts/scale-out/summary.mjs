// Phase `summary`: the numbers, from what the other phases kept.
import { state } from './context.mjs';

export async function summary() {
  const { load: l, kill: k, end, events: e } = state;
  if (!l) return;
  const s = ms => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `Scale-out numbers (2 replicas, 1 PostgreSQL, round-robin load balancer):`,
  );
  console.log(
    `  promotions at once          ${l.promotions} (${
      l.committed
    } committed; replica a ${l.byReplica.a ?? 0}, b ${l.byReplica.b ?? 0})`,
  );
  console.log(
    `  outside commits             ${l.outsideCommits} (${l.outsidePushesRefused} pushes refused and redone)`,
  );
  console.log(
    `  commits added to main       ${l.commitsAdded} (writer switches in history: ${l.writerSwitches})`,
  );
  console.log(
    `  wall time                   ${s(l.burstMs)} for the promotions, ${s(
      l.wallMs,
    )} with the outside writer`,
  );
  console.log(
    `  promotion latency           p50 ${l.p50.toFixed(
      0,
    )} ms, p95 ${l.p95.toFixed(0)} ms, min ${l.min.toFixed(
      0,
    )} ms, max ${l.max.toFixed(0)} ms`,
  );
  if (e) {
    const seen = ms => (ms === undefined ? 'not seen' : `${ms.toFixed(0)} ms`);
    console.log(
      `  push seen by the other       a -> b ${seen(e.aToB)}, b -> a ${seen(
        e.bToA,
      )} (event bus; scheduled refresh 10 min)`,
    );
  }
  if (k) {
    console.log(
      `  kill                        SIGKILL ${k.killedAtMs.toFixed(
        0,
      )} ms into replicas=${k.value} (attempt ${k.attempts}); ` +
        `commit ${k.commitLanded ? 'landed whole' : 'not written'}, ${
          k.recorded ? 'recorded' : 'no record'
        }`,
    );
  }
  if (end) {
    console.log(
      `  at the end                  ${
        end.commits
      } commits on main; records ${JSON.stringify(end.records)}`,
    );
  }
}
