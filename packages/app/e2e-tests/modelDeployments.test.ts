import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { SCREENSHOTS, environment } from './pages';
import { DemoUserName, signIn } from './signIn';

/**
 * Opens `path` signed in as a demo user. The example policy lets only a
 * model's owners see it in production, so production views sign in as a
 * member of the owning team (examples/org.yaml).
 */
async function openAs(page: Page, user: DemoUserName, path: string) {
  await page.goto(path);
  await signIn(page, user);
}

test('a model page shows its three environments with their states', async ({
  page,
}) => {
  await openAs(
    page,
    'tomas',
    '/catalog/default/component/fraud-scorer/model-deployments',
  );

  const dev = environment(page, 'Development');
  const staging = environment(page, 'Staging');
  const production = environment(page, 'Production');
  for (const column of [dev, staging, production]) {
    await expect(column).toBeVisible();
  }
  await expect(
    page.getByText('Demo data', { exact: false }).first(),
  ).toBeVisible();

  // Production runs v3 with a v4 canary at 10 % and a v5 shadow.
  await expect(production.getByText('main 90%')).toBeVisible();
  await expect(production.getByText('canary 10%')).toBeVisible();
  await expect(production.getByText('shadow 100%')).toBeVisible();
  await expect(production.getByText('Ready').first()).toBeVisible();
  await expect(dev.getByText('Ready').first()).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-fraud-scorer.png`,
    fullPage: true,
  });
});

test('a failed deployment is shown as failed, with its reason', async ({
  page,
}) => {
  await openAs(
    page,
    'amara',
    '/catalog/default/component/churn-predictor/model-deployments',
  );
  const staging = environment(page, 'Staging');
  await expect(staging.getByText('Failed').first()).toBeVisible();
  await expect(
    staging.getByText(/ProgressDeadlineExceeded/).first(),
  ).toBeVisible();
  await expect(
    environment(page, 'Production').getByText('Ready').first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-churn-predictor-failed.png`,
    fullPage: true,
  });
});

test('an experiment with a mirror', async ({ page }) => {
  await openAs(
    page,
    'kenji',
    '/catalog/default/component/search-ranker/model-deployments',
  );
  await expect(
    environment(page, 'Production').getByText('mirror 100%'),
  ).toBeVisible();
});

test('a model promoted in Git but not yet applied', async ({ page }) => {
  await openAs(
    page,
    'tomas',
    '/catalog/default/component/price-optimizer/model-deployments',
  );
  // Promoted in Git, not yet applied by the sync tool.
  await expect(
    environment(page, 'Production').getByText(
      'In Git, not in the cluster: the sync tool has not applied it yet.',
    ),
  ).toBeVisible();
  await expect(
    environment(page, 'Production').getByText('Not applied', { exact: true }),
  ).toBeVisible();
  await expect(
    environment(page, 'Staging').getByText('Ready').first(),
  ).toBeVisible();
});

test('drift from Git, unmanaged deployments and the Git history', async ({
  page,
}) => {
  await openAs(
    page,
    'guest',
    '/catalog/default/component/iris-classifier/model-deployments',
  );
  const dev = environment(page, 'Development');
  const drifted = dev.getByRole('article', {
    name: 'SeldonDeployment iris-classifier',
  });
  // Git has v4 with two replicas; the cluster still runs v3 with one.
  await expect(drifted.getByText('Out of sync', { exact: true })).toBeVisible();
  const differences = drifted.getByRole('list', { name: 'Git vs cluster' });
  await expect(differences.getByRole('listitem')).toHaveCount(2);
  await expect(
    differences.getByText('gs://acme-models/iris/v4', { exact: true }),
  ).toBeVisible();
  await expect(
    differences.getByText('gs://acme-models/iris/v3', { exact: true }),
  ).toBeVisible();
  // The commit that made the change, from Seldon's JSON message.
  await expect(drifted.getByText('Deployment updated')).toBeVisible();
  await expect(drifted.getByText('iris v4 with two replicas')).toBeVisible();
  await expect(
    environment(page, 'Staging').getByText('In sync', { exact: true }).first(),
  ).toBeVisible();

  await dev.getByRole('button', { name: 'Git history' }).click();
  const history = dev.getByRole('list', {
    name: 'Git history in Development',
  });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByText('First models in dev')).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-iris-classifier-drift.png`,
    fullPage: true,
  });

  // Applied by hand in dev: in the cluster, not in Git.
  await openAs(
    page,
    'guest',
    '/catalog/default/component/sentiment-analysis/model-deployments',
  );
  await expect(
    environment(page, 'Development').getByText('Not in Git', { exact: true }),
  ).toBeVisible();
});

test('a release manager promotes a model to production from the deployments tab', async ({
  page,
}) => {
  await openAs(
    page,
    'priya',
    '/catalog/default/component/iris-classifier/model-deployments',
  );
  const staging = environment(page, 'Staging');
  await staging.getByRole('button', { name: 'Promote to Production' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Promote from Staging to Production',
  });
  // The dry run's diff against production's repository.
  await expect(dialog.getByLabel('Changes')).toContainText(
    'models/SeldonDeployment-iris-classifier.json',
  );
  // Production is restricted: a review branch (the demo Git server has no pull requests).
  await expect(
    dialog.getByRole('radio', { name: 'Open a pull request' }),
  ).toBeChecked();
  await page.screenshot({
    path: `${SCREENSHOTS}/promote-dialog.png`,
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Propose' }).click();
  await expect(
    dialog.getByText(
      /(Pushed branch|Already proposed on branch) model-deployments\/promote-iris-classifier-to-production-/,
    ),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(
    page
      .getByRole('region', { name: 'Promotions' })
      .getByText(/staging → production: branch pushed for review/)
      .first(),
  ).toBeVisible();
});

test('the overview card summarises every environment', async ({ page }) => {
  await openAs(page, 'kenji', '/catalog/default/component/sentiment-analysis');
  const card = page.getByRole('list', { name: 'Deployments by environment' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('listitem')).toHaveCount(3);
  // Still starting in dev, a canary in production.
  await expect(
    card
      .getByRole('listitem', { name: 'Development' })
      .getByText('Progressing'),
  ).toBeVisible();
  await expect(
    card.getByRole('listitem', { name: 'Production' }).getByText('Ready'),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-sentiment-analysis-overview.png`,
    fullPage: true,
  });

  await page.getByRole('link', { name: 'View deployments' }).click();
  await expect(page).toHaveURL(/sentiment-analysis\/model-deployments$/);
  await expect(
    page
      .getByRole('region', { name: 'Production', exact: true })
      .getByText('canary 10%'),
  ).toBeVisible();
});

test('the fleet page lists every example model', async ({ page }) => {
  await openAs(page, 'guest', '/model-deployments');
  await expect(
    page.getByRole('heading', { name: 'Model deployments' }).first(),
  ).toBeVisible();
  for (const title of [
    'Churn predictor',
    'Fraud scorer',
    'Iris classifier',
    'Price optimizer',
    'Recommender',
    'Search ranker',
    'Sentiment analysis',
  ]) {
    await expect(page.getByRole('link', { name: title })).toBeVisible();
  }
  await page.screenshot({
    path: `${SCREENSHOTS}/fleet.png`,
    fullPage: true,
  });

  // Following a model's link opens its entity page.
  await page.getByRole('link', { name: 'Fraud scorer' }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/fraud-scorer/);
});

test('the deployments tab reads well in the dark theme', async ({ page }) => {
  // The user-settings theme switch stores its choice here.
  await page.addInitScript(() => window.localStorage.setItem('theme', 'dark'));
  await openAs(
    page,
    'guest',
    '/catalog/default/component/churn-predictor/model-deployments',
  );
  await expect(page.locator('body')).toHaveAttribute('data-theme-mode', 'dark');
  const staging = environment(page, 'Staging');
  await expect(staging.getByText('Failed').first()).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-churn-predictor-dark.png`,
    fullPage: true,
  });
});
