import { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { SCREENSHOTS, environment, openModel } from './pages';
import { DemoUserName, signIn } from './signIn';

/*
 * Approvals in the portal, end to end on the demo: production requires one
 * approval from release-managers or platform-admins other than the
 * requester (app-config.yaml). Priya (a release manager) promotes
 * iris-classifier to production by commit; it waits; Guest (a platform
 * admin) approves it on the fleet page and the commit lands. Priya then
 * rolls production back to the commit before, so the other browser tests
 * find production's iris-classifier (three replicas) as they expect.
 */

const IRIS = 'iris-classifier';

/** Production's iris-classifier card says `replicas`, Ready. */
async function expectIrisAt(column: Locator, replicas: string) {
  const card = column.getByRole('article', {
    name: `SeldonDeployment ${IRIS}`,
  });
  await expect(card.getByText(replicas, { exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await expect(card.getByText('Ready', { exact: true })).toBeVisible();
}

/** Signs the page's user out and another one in, on `path`. */
async function switchUser(page: Page, user: DemoUserName, path: string) {
  await page.goto('/settings');
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await page.goto(path);
  await signIn(page, user);
}

/** The sha of the newest entry of a column's Git history, opened afresh. */
async function newestCommit(column: Locator, title: string) {
  const hide = column.getByRole('button', { name: 'Hide Git history' });
  if (await hide.isVisible()) await hide.click();
  await column
    .getByRole('button', { name: 'Git history', exact: true })
    .click();
  const newest = column
    .getByRole('list', { name: `Git history in ${title}` })
    .getByRole('listitem')
    .first();
  await expect(newest).toBeVisible();
  return newest.locator('[data-sha]').getAttribute('data-sha');
}

test('a promotion to production waits for approval, and runs once another person approves it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openModel(page, 'priya', IRIS);
  const staging = environment(page, 'Staging');
  const production = environment(page, 'Production');
  // Staging runs two replicas, production three.
  await expectIrisAt(production, '3/3 replicas');
  const before = await newestCommit(production, 'Production');
  expect(before).toMatch(/^[0-9a-f]{40}$/);

  // Priya asks, by commit: the dialog says it will wait, and for whom.
  await staging.getByRole('button', { name: 'Promote to Production' }).click();
  const promote = page.getByRole('dialog', {
    name: 'Promote from Staging to Production',
  });
  await promote.getByRole('radio', { name: 'Commit to the branch' }).check();
  await expect(
    promote.getByText(
      'Needs approval: 1 of release-managers, platform-admins must approve before it runs.',
    ),
  ).toBeVisible();
  await expect(promote.getByLabel('Changes')).toContainText(
    'models/SeldonDeployment-iris-classifier.json',
  );
  await promote.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(
    promote.getByText(
      /^Waiting for approval by 1 of release-managers, platform-admins/,
    ),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/approval-requested.png`,
    fullPage: true,
  });
  await promote.getByRole('button', { name: 'Close' }).click();
  const promotions = page.getByRole('region', { name: 'Promotions' });
  const waiting = promotions
    .getByRole('listitem')
    .filter({ hasText: 'staging → production: waiting for approval' });
  await expect(waiting).toBeVisible();
  // The requester does not approve their own promotion.
  await expect(waiting.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  // Nothing written yet.
  expect(await newestCommit(production, 'Production')).toBe(before);

  // Guest, a platform admin, approves it on the fleet page, seeing the diff.
  await switchUser(page, 'guest', '/model-deployments');
  const pending = page.getByRole('region', { name: 'Waiting for approval' });
  const row = pending
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'Iris classifier' }) });
  await expect(row).toContainText('staging → production');
  await expect(row).toContainText('0 of 1 approval');
  await page.screenshot({
    path: `${SCREENSHOTS}/approval-fleet.png`,
    fullPage: true,
  });
  await row.getByRole('button', { name: 'Approve' }).click();
  const approve = page.getByRole('dialog', { name: 'Approve promotion' });
  await expect(approve.getByLabel('Changes')).toContainText(
    'models/SeldonDeployment-iris-classifier.json',
  );
  await approve
    .getByRole('textbox', { name: /Comment/ })
    .fill('Staging has been Ready all week');
  await approve.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(approve).toBeHidden({ timeout: 60_000 });
  await expect(
    page.getByText(/^Promoted iris-classifier .* from staging to production$/),
  ).toBeVisible();
  await expect(pending).toBeHidden();

  // The model's page: committed, with Guest's approval, and production runs
  // staging's two replicas once the sync tool applied the commit.
  await page.goto(`/catalog/default/component/${IRIS}/model-deployments`);
  const committed = page
    .getByRole('region', { name: 'Promotions' })
    .getByRole('listitem')
    .filter({ hasText: 'staging → production: committed' })
    .first();
  await expect(
    committed.getByRole('list', { name: 'Approval decisions' }),
  ).toContainText('Staging has been Ready all week');
  await expectIrisAt(production, '2/2 replicas');
  const approved = await newestCommit(production, 'Production');
  expect(approved).not.toBe(before);

  // Priya rolls production back (rollbacks are not held), by commit.
  await switchUser(
    page,
    'priya',
    `/catalog/default/component/${IRIS}/model-deployments`,
  );
  await expect(async () => {
    expect(await newestCommit(production, 'Production')).toBe(approved);
  }).toPass({ timeout: 30_000 });
  const short = before!.slice(0, 7);
  await production
    .getByRole('list', { name: 'Git history in Production' })
    .getByRole('button', { name: `Roll back production to ${short}` })
    .click();
  const rollback = page.getByRole('dialog', {
    name: `Roll back Production to ${short}`,
  });
  await rollback.getByRole('radio', { name: 'Commit to the branch' }).check();
  await rollback
    .getByRole('button', { name: 'Roll back', exact: true })
    .click();
  await expect(
    rollback.getByText(`Rolled back ${IRIS} in production to ${short}`, {
      exact: false,
    }),
  ).toBeVisible({ timeout: 60_000 });
  await rollback.getByRole('button', { name: 'Close' }).click();
  await expectIrisAt(production, '3/3 replicas');
});
