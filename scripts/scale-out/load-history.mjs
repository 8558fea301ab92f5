// The history phase `load` left on main: linear, every commit there and
// each its own change, the head the last promotion's, and how the
// promotions and the outside writer interleaved.
import { check, config, OUTSIDE_FILE } from './context.mjs';
import { checkLinear, replicasAt, serverGit } from './repository.mjs';

/**
 * BEFORE: main's commits before the load; OK: the promotions answered 201
 * committed, with their `value`; PUSHED, REJECTED: the outside writer's.
 */
export function checkHistory({ before, ok, pushed, rejected }) {
  const n = config.promotions;
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
  return { added, switches, finalValue };
}
