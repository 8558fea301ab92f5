// The scale-out test's requests and checks, one phase per call; run.sh
// starts and stops the processes between phases. Phases share state through
// state.json in the work directory.
//
//   node scenario.mjs ready|load|kill|restarted|summary CONFIG_JSON
//
// CONFIG_JSON (written by run.sh): { work, proxy, replicas: { a, b } (base
// URLs), killPidFile (the process group of replica b), gitUrl (the GitOps
// repository over smart HTTP), gitDir (the demo Git server's bare
// repository, for fsck), database (PostgreSQL URL of the plugin's database),
// promotions, outsideCommits }.
//
// ready      both replicas up, guest signed in through the load balancer, the
//            model Ready and in sync in dev as each replica sees it.
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
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const [phase, configPath] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const REPO = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const pg = createRequire(path.join(REPO, 'packages/backend/package.json'))(
  'pg',
);
const YAML = createRequire(
  path.join(REPO, 'packages/demo-cluster/package.json'),
)('yaml');

const ENTITY = 'component:default/fraud-scorer';
const FROM = 'dev';
const TO = 'staging';
const FILE = 'staging/SeldonDeployment-fraud-scorer.json';
const OUTSIDE_FILE = 'OUTSIDE-WRITER.md';
/** The statuses a stored promotion may have: all final (dry runs are never stored). */
const FINAL = [
  'committed',
  'pull-request-opened',
  'branch-pushed',
  'up-to-date',
  'failed',
];
const STATE = path.join(config.work, 'state.json');
const state = fs.existsSync(STATE)
  ? JSON.parse(fs.readFileSync(STATE, 'utf8'))
  : {};
const saveState = () => fs.writeFileSync(STATE, JSON.stringify(state, null, 2));
const execFileAsync = promisify(execFile);
const sleep = ms => new Promise(r => setTimeout(r, ms));

let failures = 0;
function check(ok, what, detail) {
  if (ok) {
    console.log(`  ok    ${what}`);
  } else {
    failures++;
    console.log(
      `  FAIL  ${what}${detail !== undefined ? `\n        ${detail}` : ''}`,
    );
  }
  return ok;
}
function finish() {
  saveState();
  if (failures) {
    console.log(`${phase}: ${failures} check(s) FAILED`);
    process.exit(1);
  }
  console.log(`${phase}: all checks passed`);
}

// ---------------------------------------------------------------- HTTP
async function call(base, method, route, body, timeoutMs = 30000) {
  const started = performance.now();
  const res = await fetch(base + route, {
    method,
    headers: {
      ...(state.token ? { authorization: `Bearer ${state.token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    body: json ?? text,
    replica: res.headers.get('x-scale-out-replica'),
    ms: performance.now() - started,
  };
}
const api = '/api/model-deployments';
const promote = (base, replicas) =>
  call(base, 'POST', `${api}/promotions`, {
    entityRef: ENTITY,
    from: FROM,
    to: TO,
    overrides: { replicas },
  });
const listPromotions = base =>
  call(
    base,
    'GET',
    `${api}/promotions?entityRef=${encodeURIComponent(ENTITY)}&limit=100`,
  );
const brief = r =>
  `HTTP ${r.status} via ${r.replica ?? 'direct'}: ${JSON.stringify(
    r.body,
  ).slice(0, 600)}`;

// ---------------------------------------------------------------- Git
function git(cwd, ...args) {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Outside writer',
      '-c',
      'user.email=outside@example.com',
      ...args,
    ],
    {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
      },
    },
  ).trim();
}
const serverGit = (...args) => git(config.gitDir, ...args);
/** main's commits, newest first: { sha, parents, subject }. */
function history() {
  return serverGit('log', '--format=%H %P%x09%s', 'main')
    .split('\n')
    .map(line => {
      const [shas, subject] = line.split('\t');
      const [sha, ...parents] = shas.split(' ');
      return { sha, parents, subject };
    });
}
function replicasAt(sha) {
  const manifest = JSON.parse(serverGit('show', `${sha}:${FILE}`));
  return manifest.spec.predictors[0].replicas;
}

/** The repository as a whole: fsck, no leftover locks or quarantines. */
function checkRepository() {
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
function checkHead() {
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

function checkLinear(label) {
  const commits = history();
  const merges = commits.filter(c => c.parents.length > 1);
  check(
    merges.length === 0,
    `${label}: history linear (${commits.length} commits, no merge)`,
    merges.map(m => m.sha).join(', '),
  );
  return commits;
}

// ---------------------------------------------------------------- database
async function database(query) {
  const client = new pg.Client({ connectionString: config.database });
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
}
/** Checks that every record is final, but for `running` ones allowed (at most this many). */
async function checkDatabase(label, runningAllowed = 0) {
  const rows = await database(
    'select status, count(*)::int as n from promotions group by status',
  );
  const counts = Object.fromEntries(rows.map(r => [r.status, r.n]));
  const other = rows.filter(
    r =>
      !FINAL.includes(r.status) &&
      !(r.status === 'running' && r.n <= runningAllowed),
  );
  check(
    other.length === 0,
    `${label}: table promotions holds final states only${
      runningAllowed ? `, but for the killed one` : ''
    } ${JSON.stringify(counts)}`,
    `non-final: ${JSON.stringify(other)}`,
  );
  return counts;
}

// ---------------------------------------------------------------- percentiles
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------- phases
async function ready() {
  const deadline = Date.now() + 240_000;
  let last = '';
  const dev = r =>
    r.status === 200 &&
    r.body.environments
      ?.find(e => e.environment.name === FROM)
      ?.deployments?.find(d => d.name === 'fraud-scorer');
  while (Date.now() < deadline) {
    try {
      if (!state.token) {
        const auth = await call(
          config.proxy,
          'POST',
          '/api/auth/guest/refresh',
        );
        state.token = auth.body?.backstageIdentity?.token;
        if (!state.token) throw new Error(`guest sign-in: ${brief(auth)}`);
      }
      const seen = [];
      for (const [name, base] of Object.entries(config.replicas)) {
        const r = await call(
          base,
          'GET',
          `${api}/deployments?entityRef=${encodeURIComponent(ENTITY)}`,
        );
        const d = dev(r);
        if (!d)
          throw new Error(`${name}: no ${FROM} deployment yet: ${brief(r)}`);
        if (d.phase !== 'Ready' || d.sync?.state === 'OutOfSync') {
          throw new Error(`${name}: ${FROM} is ${d.phase}, ${d.sync?.state}`);
        }
        seen.push(
          `${name}: ${FROM} ${d.phase}, ${d.sync?.state ?? 'no sync state'}`,
        );
      }
      console.log(
        `  ok    guest signed in through the load balancer; ${seen.join('; ')}`,
      );
      return finish();
    } catch (error) {
      last = error.message;
    }
    await sleep(1000);
  }
  check(false, 'replicas ready', last);
  finish();
}

/** git without blocking the event loop, so the promotions' answers are timed right. */
async function gitAsync(cwd, ...args) {
  const { stdout } = await execFileAsync(
    'git',
    [
      '-c',
      'user.name=Outside writer',
      '-c',
      'user.email=outside@example.com',
      ...args,
    ],
    {
      cwd,
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
      },
    },
  );
  return stdout.trim();
}

async function outsideWriter(count, running) {
  const dir = path.join(config.work, 'outside');
  await gitAsync(config.work, 'clone', '-q', config.gitUrl, dir);
  const pushed = [];
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    // Spread over the promotions; stop waiting once they are done.
    for (let t = 0; t < 3 && running(); t++) await sleep(50);
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

async function load() {
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

  // Git: linear, complete, each commit its own change, the head the last one.
  const after = checkLinear('after the load');
  const inHistory = new Set(after.map(c => c.sha));
  const lostPromotions = ok.filter(r => !inHistory.has(r.body.commit.sha));
  const lostOutside = pushed.filter(sha => !inHistory.has(sha));
  check(
    lostPromotions.length === 0 && lostOutside.length === 0,
    `every promotion commit (${ok.length}) and outside commit (${pushed.length}) is on main`,
    `lost: ${[
      ...lostPromotions.map(r => `replicas=${r.value} ${r.body.commit.sha}`),
      ...lostOutside,
    ].join(', ')}`,
  );
  const added = after.length - before.length;
  check(
    added === n + config.outsideCommits &&
      after.at(-1).sha === before.at(-1).sha &&
      after[added].sha === before[0].sha,
    `main grew by exactly ${n} + ${config.outsideCommits} commits on top of the old head (${added})`,
  );
  const wrongContent = ok.filter(
    r =>
      inHistory.has(r.body.commit.sha) &&
      replicasAt(r.body.commit.sha) !== r.value,
  );
  check(
    wrongContent.length === 0,
    'each promotion commit holds its own replicas value',
    wrongContent
      .map(
        r =>
          `${r.body.commit.sha}: ${replicasAt(r.body.commit.sha)} != ${
            r.value
          }`,
      )
      .join(', '),
  );
  const bySha = new Map(ok.map(r => [r.body.commit.sha, r]));
  const newest = after.find(c => bySha.has(c.sha));
  const finalValue = replicasAt('main');
  check(
    newest && finalValue === bySha.get(newest.sha).value,
    `the final manifest has the last promotion commit's value (replicas ${finalValue})`,
    `last promotion commit ${newest?.sha}: ${
      newest && bySha.get(newest.sha).value
    }`,
  );
  if (config.outsideCommits > 0) {
    const outsideText = serverGit('show', `main:${OUTSIDE_FILE}`);
    check(
      outsideText ===
        Array.from(
          { length: config.outsideCommits },
          (_, i) => `outside commit ${i}\n`,
        )
          .join('')
          .trim(),
      `${OUTSIDE_FILE} holds every outside line in order`,
      outsideText,
    );
  }
  // How interleaved the writers were, oldest first.
  const order = after
    .slice(0, added)
    .reverse()
    .map(c =>
      bySha.has(c.sha)
        ? bySha.get(c.sha).replica
        : pushed.includes(c.sha)
        ? 'outside'
        : '?',
    );
  const switches = order.filter((w, i) => i > 0 && w !== order[i - 1]).length;
  const firstP = order.findIndex(w => w !== 'outside');
  const lastP =
    order.length - 1 - [...order].reverse().findIndex(w => w !== 'outside');
  const outsideAmid = order.filter(
    (w, i) => w === 'outside' && i > firstP && i < lastP,
  ).length;
  console.log(
    `  info  commit order (oldest first): ${order
      .map(w => (w === 'outside' ? 'O' : w))
      .join('')}; ` +
      `${switches} writer switches, ${outsideAmid} outside commit(s) between promotion commits`,
  );
  if (config.outsideCommits > 0) {
    // The race happened: an outside commit between promotion commits, or
    // outside pushes refused because promotions had moved the branch (with
    // the replicas taking turns, the promotions may land as one run).
    check(
      outsideAmid > 0 || rejected > 0,
      `the outside writer raced the promotions for the branch (${outsideAmid} outside commit(s) between promotion commits, ${rejected} outside push(es) refused)`,
    );
  }
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

async function kill() {
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
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(pid, 0);
      await sleep(100);
    } catch {
      break;
    }
  }
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

async function restarted() {
  const deadline = Date.now() + 120_000;
  let health;
  while (Date.now() < deadline) {
    health = await call(config.replicas.b, 'GET', `${api}/health`).catch(e => ({
      status: 0,
      body: String(e),
    }));
    if (health.status === 200) break;
    await sleep(500);
  }
  check(
    health.status === 200,
    'replica b restarted on its old working directory',
    brief(health),
  );
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
    const settleBy = Date.now() + 90_000;
    let record;
    while (Date.now() < settleBy) {
      [record] = await database(
        `select status, message from promotions where id = '${state.killedRecord}'`,
      );
      if (record?.status !== 'running') break;
      await sleep(1000);
    }
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

/** The numbers, from what the phases kept. */
async function summary() {
  const { load: l, kill: k, end } = state;
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

const phases = { ready, load, kill, restarted, summary };
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
