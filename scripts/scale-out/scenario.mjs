// The scale-out test's requests and checks, one phase per call; run.sh
// starts and stops the processes between phases. Phases share state through
// state.json in the work directory.
//
//   node scenario.mjs ready|events|load|kill|restarted|summary CONFIG_JSON
//
// CONFIG_JSON (written by run.sh): { work, proxy, replicas: { a, b } (base
// URLs), killPidFile (the process group of replica b), gitUrl (the GitOps
// repository over smart HTTP), gitDir (the demo Git server's bare
// repository, for fsck), database (PostgreSQL URL of the plugin's database),
// promotions, outsideCommits }.
//
// ready      both replicas up, guest signed in through the load balancer, the
//            model Ready and in sync in dev as each replica sees it.
// events     a promotion through one replica reaches the other's Git
//            mirror through the event bus within seconds, both ways (the
//            scheduled refresh is 10 minutes away).
// load       PROMOTIONS concurrent promotions through the load balancer,
//            each with its own replicas value, while an outside writer
//            pushes OUTSIDE_COMMITS commits with the git CLI; then: every
//            answer 201 committed, each recorded once and listed the same by
//            both replicas, linear history with every commit, the final
//            manifest is the last commit's, the database holds only final
//            states.
// kill       a promotion sent to replica b, SIGKILLed while the request is
//            in flight; then the repository (fsck, head, manifests parse),
//            the database (final states only) and replica a (lists and
//            promotes, directly and through the load balancer).
// restarted  replica b restarted on its old working directory promotes
//            again; both list the same; the final Git checks.
// summary    the numbers: promotions, commits, wall time, latency, the kill.
//
// The phases live in their own modules: ready.mjs, events.mjs, load.mjs (with
// outside-writer.mjs and load-history.mjs), kill.mjs, restarted.mjs and
// summary.mjs; context.mjs, repository.mjs and database.mjs hold what they
// share, ../lib/poll.mjs the waits.
import { phase } from './context.mjs';
import { events } from './events.mjs';
import { kill } from './kill.mjs';
import { load } from './load.mjs';
import { ready } from './ready.mjs';
import { restarted } from './restarted.mjs';
import { summary } from './summary.mjs';

const phases = { ready, events, load, kill, restarted, summary };
if (!phases[phase]) {
  console.error(
    `usage: node scenario.mjs ${Object.keys(phases).join('|')} CONFIG_JSON`,
  );
  process.exit(2);
}
phases[phase]().catch(error => {
  console.error(`${phase}: ${error.stack ?? error}`);
  process.exit(1);
});
