import { Locator, Page, WebSocket } from '@playwright/test';
import { expect, test } from './fixtures';
import { SCREENSHOTS, environment, openModel } from './pages';

/*
 * A promotion and its rollback, end to end on the demo: the portal commits
 * to the demo Git server, the demo's sync tool applies the commit to the
 * demo cluster within seconds (app-config.yaml: a look every 2 s, a 3 s
 * rollout), and the page follows the cluster through signals.
 *
 * recommender is the model no other browser test changes. dev and staging
 * are folders of one repository and neither is restricted, so promotions
 * and rollbacks into staging are committed to the branch directly. Both
 * environments run the same model versions (examples/gitops/models): what a
 * promotion from dev changes in staging is the replicas of the two Models,
 * 2 there and 1 in dev, so that is what the page is watched for. The test
 * leaves staging's manifests as it found them, so it can run again against
 * the same portal.
 */

const MODELS = ['recommender-embeddings', 'recommender-ranker'];
const CHANNEL = 'model-deployments:entity:component:default/recommender';

/**
 * Whether the page is subscribed to `channel` on an open signals socket. A
 * page only learns of changes in the cluster through signals (it does not
 * poll), and a signal sent before it subscribed is lost: Backstage's signal
 * client gives a socket 1 s to open and only tries again 5 s later, which a
 * busy dev backend can take.
 */
function signalsOf(page: Page, channel: string) {
  const subscribed = new Set<WebSocket>();
  page.on('websocket', socket => {
    if (!new URL(socket.url()).pathname.startsWith('/api/signals')) return;
    socket.on('framesent', frame => {
      try {
        const message = JSON.parse(String(frame.payload));
        if (message.action === 'subscribe' && message.channel === channel) {
          subscribed.add(socket);
        }
      } catch {
        // not a subscription
      }
    });
    socket.on('close', () => subscribed.delete(socket));
  });
  return {
    /** Waits until the page would hear of a change. */
    async live() {
      await expect
        .poll(() => subscribed.size, {
          message: `the page subscribed to ${channel}`,
          timeout: 30_000,
        })
        .toBeGreaterThan(0);
    },
  };
}

/** Every Model card of recommender in `column` says `replicas`, Ready and in sync. */
async function expectModelsAt(column: Locator, replicas: string) {
  for (const name of MODELS) {
    const card = column.getByRole('article', { name: `Model ${name}` });
    await expect(card.getByText(replicas, { exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(card.getByText('Ready', { exact: true })).toBeVisible();
    await expect(card.getByText('In sync', { exact: true })).toBeVisible();
  }
}

/**
 * Opens `column`'s Git history afresh until its newest entry is `sha`. The
 * list reloads right after a change made on the page, but that reload comes
 * before the backend has fetched the new commit, and the list does not
 * follow the Git signal that comes after; closing and opening it loads it
 * again, as a user would.
 */
async function historyShowing(column: Locator, title: string, sha: string) {
  const history = column.getByRole('list', { name: `Git history in ${title}` });
  await expect(async () => {
    const hide = column.getByRole('button', { name: 'Hide Git history' });
    if (await hide.isVisible()) await hide.click();
    await column
      .getByRole('button', { name: 'Git history', exact: true })
      .click();
    await expect(history.getByRole('listitem').first()).toContainText(sha, {
      timeout: 2_000,
    });
  }).toPass({ timeout: 30_000 });
  return history;
}

/** The short commit id a promote or roll back dialog reports. */
async function commitIn(dialog: Locator): Promise<string> {
  const text = await dialog.getByText(/^Commit [0-9a-f]{7}/).textContent();
  const sha = /^Commit ([0-9a-f]{7})/.exec(text ?? '')?.[1];
  expect(sha, `a commit in "${text}"`).toBeDefined();
  return sha!;
}

test('a promotion into staging is rolled back from the Git history', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const signals = signalsOf(page, CHANNEL);
  // Amara's team owns recommender; everyone may promote into staging.
  await openModel(page, 'amara', 'recommender');
  const dev = environment(page, 'Development');
  const staging = environment(page, 'Staging');
  const promotions = page.getByRole('region', { name: 'Promotions' });
  await expectModelsAt(dev, '1/1 replicas');
  await expectModelsAt(staging, '2/2 replicas');

  // The commit to return to: the newest that changed recommender in staging.
  await staging
    .getByRole('button', { name: 'Git history', exact: true })
    .click();
  const newest = staging
    .getByRole('list', { name: 'Git history in Staging' })
    .getByRole('listitem')
    .first();
  await expect(newest).toBeVisible();
  const before = await newest.locator('[data-sha]').getAttribute('data-sha');
  expect(before).toMatch(/^[0-9a-f]{40}$/);
  const beforeShort = before!.slice(0, 7);
  // The newest commit is what Git holds: nothing to roll back to there.
  await expect(newest.getByRole('button')).toHaveCount(0);

  // Promote from dev into staging: a commit to the branch.
  await signals.live();
  await dev.getByRole('button', { name: 'Promote to Staging' }).click();
  const promote = page.getByRole('dialog', {
    name: 'Promote from Development to Staging',
  });
  await expect(promote.getByLabel('Changes')).toContainText(
    'staging/Model-recommender-ranker.yaml',
  );
  await expect(
    promote.getByRole('radio', { name: 'Commit to the branch' }),
  ).toBeChecked();
  await promote.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(
    promote.getByText(/^Promoted recommender .* from dev to staging$/),
  ).toBeVisible();
  const promoted = await commitIn(promote);
  // The dialog is modal: the page behind it is hidden until it closes.
  await promote.getByRole('button', { name: 'Close' }).click();
  await expect(promote).toBeHidden();
  await expect(
    promotions
      .getByRole('listitem')
      .filter({ hasText: 'dev → staging: committed' })
      .filter({ hasText: promoted }),
  ).toBeVisible();
  // The sync tool applies it: staging runs dev's single replicas.
  await expectModelsAt(staging, '1/1 replicas');

  // Roll staging back to the commit before the promotion, now second in
  // its history.
  let history = await historyShowing(staging, 'Staging', promoted);
  await expect(history.getByRole('listitem').nth(1)).toContainText(beforeShort);
  await history
    .getByRole('button', { name: `Roll back staging to ${beforeShort}` })
    .click();
  const rollback = page.getByRole('dialog', {
    name: `Roll back Staging to ${beforeShort}`,
  });
  // The dry run's diff: both Models go back to two replicas.
  const diff = rollback.getByLabel('Changes');
  await expect(diff).toContainText('staging/Model-recommender-embeddings.yaml');
  await expect(diff).toContainText('staging/Model-recommender-ranker.yaml');
  await expect(diff).toContainText('-  replicas: 1');
  await expect(diff).toContainText('+  replicas: 2');
  await expect(
    rollback.getByText(
      `Would roll back recommender in staging to ${beforeShort}`,
      { exact: false },
    ),
  ).toBeVisible();
  // Staging is not restricted: committed to the branch unless the user
  // picks a pull request.
  await expect(
    rollback.getByRole('radio', { name: 'Commit to the branch' }),
  ).toBeChecked();
  await page.screenshot({
    path: `${SCREENSHOTS}/rollback-dialog.png`,
    fullPage: true,
  });
  const rollBack = rollback.getByRole('button', {
    name: 'Roll back',
    exact: true,
  });
  await expect(rollBack).toBeEnabled();
  await signals.live();

  const clickedAt = Date.now();
  await rollBack.click();
  // (a) The dialog reports the commit it made.
  await expect(
    rollback.getByText(`Rolled back recommender in staging to ${beforeShort}`, {
      exact: false,
    }),
  ).toBeVisible({ timeout: 60_000 });
  const rolledBack = await commitIn(rollback);
  expect(rolledBack).not.toBe(promoted);
  await rollback.getByRole('button', { name: 'Close' }).click();
  await expect(rollback).toBeHidden();
  // (c) Once the sync tool applied the commit, staging runs two replicas
  // again, as before the promotion.
  await expectModelsAt(staging, '2/2 replicas');
  const roundTripMs = Date.now() - clickedAt;
  // eslint-disable-next-line no-console
  console.log(
    `rollback round trip: ${roundTripMs} ms from clicking "Roll back" to the page showing staging back at ${beforeShort} (2/2 replicas, Ready, In sync)`,
  );
  // Each card names the rollback as the commit that last changed it.
  for (const name of MODELS) {
    await expect(
      staging
        .getByRole('article', { name: `Model ${name}` })
        .locator(`[data-sha^="${rolledBack}"]`),
    ).toContainText(`Rolled back to ${beforeShort}`);
  }

  // (b) The promotions list records the rollback, newest first; a rollback
  // offers no rollback of its own.
  const record = promotions.getByRole('listitem').first();
  await expect(record).toContainText(`Rolled back staging to ${beforeShort}`);
  await expect(record).toContainText(rolledBack);
  await expect(record.getByRole('button')).toHaveCount(0);
  // In Git the rollback is a new commit on top of the promotion it undid.
  history = await historyShowing(staging, 'Staging', rolledBack);
  const commits = history.getByRole('listitem');
  await expect(commits.first()).toContainText(`Rolled back to ${beforeShort}`);
  await expect(commits.nth(1)).toContainText(promoted);
  await expect(commits.nth(2)).toContainText(beforeShort);
  await page.screenshot({
    path: `${SCREENSHOTS}/rollback-done.png`,
    fullPage: true,
  });
});
