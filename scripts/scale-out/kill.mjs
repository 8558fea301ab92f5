// Phase `kill`: replica b SIGKILLed while a promotion it serves is in
// flight; then the repository (fsck, head, manifests parse), the database
// (final states only) and replica a (lists and promotes, directly and
// through the load balancer).
import fs from 'node:fs';
import { waitFor } from '../lib/poll.mjs';
import {
  brief,
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
  serverGit,
} from './repository.mjs';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function kill() {
  const pid = Number(fs.readFileSync(config.killPidFile, 'utf8'));
  const b = config.replicas.b;
  let headBefore;
  let valueBefore;
  let recordsBefore;
  // One promotion through b alone first: how long it takes, to aim inside it.
  const solo = await promote(b, 500);
  if (
    !check(
      solo.status === 201 && solo.body.status === 'committed',
      `replica b promotes alone (replicas 500) in ${solo.ms.toFixed(0)} ms`,
      brief(solo),
    )
  )
    return finish();
  let delay = Math.max(20, Math.round(solo.ms * 0.5));
  let landed;
  const attempts = [];
  for (let attempt = 0; attempt < 6 && !landed; attempt++) {
    const value = 501 + attempt;
    headBefore = serverGit('rev-parse', 'main');
    valueBefore = replicasAt('main');
    recordsBefore = (await database('select id from promotions')).map(
      r => r.id,
    );
    let answered = false;
    let killedAt;
    const request = promote(b, value).then(
      r => {
        answered = true;
        return r;
      },
      error => {
        answered = true;
        return {
          status: 0,
          body: String(error.cause?.code ?? error.cause ?? error),
        };
      },
    );
    const sent = performance.now();
    await new Promise(resolve => {
      const timer = setTimeout(() => {
        if (!answered) {
          // The whole process group: the backend and anything it started.
          process.kill(-pid, 'SIGKILL');
          killedAt = performance.now() - sent;
        }
        resolve();
      }, delay);
      request.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    const r = await request;
    attempts.push({
      value,
      delay,
      killed: killedAt !== undefined,
      answer: r.status,
    });
    if (killedAt !== undefined && r.status === 0) {
      landed = { value, delay, killedAtMs: killedAt, answer: r.body };
    } else if (killedAt !== undefined) {
      // Killed, but the answer had already been written.
      landed = {
        value,
        delay,
        killedAtMs: killedAt,
        answer: brief(r),
        late: true,
      };
    } else {
      check(
        r.status === 201,
        `promotion replicas=${value} answered before the kill at ${delay} ms; trying sooner`,
        brief(r),
      );
      delay = Math.max(10, Math.round(delay * 0.6));
    }
  }
  if (
    !check(
      landed,
      `SIGKILL landed on replica b mid-request${
        landed?.late ? ' (just after it answered)' : ''
      } (${JSON.stringify(attempts)})`,
      JSON.stringify(landed),
    )
  )
    return finish();
  // Its process gone (or 4 s passed).
  await waitFor(() => !alive(pid), {
    timeoutMs: 4000,
    intervalMs: 100,
    orElse: false,
  });
  console.log(
    `  info  killed ${landed.killedAtMs.toFixed(0)} ms after sending replicas=${
      landed.value
    }; the client saw: ${landed.answer}`,
  );

  // Git: no half-written commit, nothing corrupt, nothing lost.
  checkRepository();
  const head = checkHead();
  const commits = checkLinear('after the kill');
  const headValue = replicasAt(head);
  const killedCommit = head !== headBefore;
  check(
    (killedCommit &&
      headValue === landed.value &&
      commits[1]?.sha === headBefore &&
      /Promote/.test(commits[0].subject)) ||
      (!killedCommit && headValue === valueBefore),
    killedCommit
      ? `the killed promotion's commit landed whole on top of the old head (replicas ${headValue})`
      : `the killed promotion wrote nothing: head unchanged (replicas ${headValue})`,
    `head ${head}, before ${headBefore}, replicas ${headValue}`,
  );

  // The database: the killed promotion is recorded as running (killed
  // while writing), as committed (killed after), or not at all (killed
  // before it was planned); every other record is final.
  const counts = await checkDatabase('after the kill', 1);
  const rows = await database('select id, status, commit_sha from promotions');
  const fresh = rows.filter(r => !recordsBefore.includes(r.id));
  check(
    fresh.length <= 1 &&
      fresh.every(
        r =>
          r.status === 'running' ||
          (r.status === 'committed' && r.commit_sha === head && killedCommit),
      ),
    `the killed promotion: ${
      fresh.length
        ? fresh[0].status === 'running'
          ? 'recorded as running'
          : 'recorded as committed with its commit'
        : 'no record'
    }`,
    JSON.stringify(fresh),
  );
  state.killedRecord = fresh[0]?.status === 'running' ? fresh[0].id : undefined;
  state.kill = {
    ...landed,
    commitLanded: killedCommit,
    recorded: fresh.length > 0,
    attempts: attempts.length,
    records: counts,
  };

  // The surviving replica lists and promotes, directly and through the load balancer.
  const list = await listPromotions(config.replicas.a);
  check(
    list.status === 200,
    `replica a lists ${list.body.promotions?.length} promotions`,
    brief(list),
  );
  const direct = await promote(config.replicas.a, 601);
  check(
    direct.status === 201 && direct.body.status === 'committed',
    `replica a promotes (replicas 601) in ${direct.ms.toFixed(0)} ms`,
    brief(direct),
  );
  const viaLb = [];
  for (const v of [602, 603]) viaLb.push(await promote(config.proxy, v));
  check(
    viaLb.every(
      r =>
        r.status === 201 && r.body.status === 'committed' && r.replica === 'a',
    ),
    `through the load balancer, with replica b down: ${viaLb
      .map(r => `${r.status} from ${r.replica}`)
      .join(', ')}`,
    viaLb.map(brief).join('\n        '),
  );
  check(replicasAt('main') === 603, 'the last of them is the final manifest');
  finish();
}
