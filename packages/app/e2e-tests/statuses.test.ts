import { expect, test } from './fixtures';
import { SCREENSHOTS, environment, openModel } from './pages';

test('a KServe canary shows its revisions and their shares', async ({
  page,
}) => {
  // Kenji's team owns sentiment-analysis, so he may see production.
  await openModel(page, 'kenji', 'sentiment-analysis');
  const card = environment(page, 'Production').getByRole('article', {
    name: 'InferenceService sentiment-analysis',
  });
  const split = card.getByRole('list', { name: 'Traffic split' });
  await expect(split.getByText('canary 10%')).toBeVisible();
  await expect(split.getByText('main 90%')).toBeVisible();
  // The revision names come from status.components.predictor.traffic.
  await expect(
    split.getByText('sentiment-analysis-predictor-00008'),
  ).toBeVisible();
  await expect(
    split.getByText('sentiment-analysis-predictor-00007'),
  ).toBeVisible();
  await card.screenshot({
    path: `${SCREENSHOTS}/card-kserve-canary.png`,
  });
});

test('a stopped model is Stopped, a failed load is Failed even with Ready True', async ({
  page,
}) => {
  await openModel(page, 'kenji', 'toxicity-filter');
  const dev = environment(page, 'Development');
  const staging = environment(page, 'Staging');
  await expect(dev.getByText('Failed').first()).toBeVisible();
  await expect(
    dev.getByText('Failed to load model: unsupported sklearn pickle protocol'),
  ).toBeVisible();
  await expect(staging.getByText('Stopped').first()).toBeVisible();
  await expect(
    staging.getByText('Stopped on purpose (serving.kserve.io/stop).'),
  ).toBeVisible();
  await expect(staging.getByText('Failed')).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-toxicity-filter-stopped.png`,
    fullPage: true,
  });
});

test('a split that does not add up is shown as published and flagged', async ({
  page,
}) => {
  await openModel(page, 'guest', 'news-classifier');
  const staging = environment(page, 'Staging');
  await expect(staging.getByText('main 105%')).toBeVisible();
  await expect(
    staging.getByRole('alert', { name: 'Warnings about news-classifier' }),
  ).toContainText('default has a traffic share of 105 %, outside 0–100 %');
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-news-classifier-invalid-split.png`,
    fullPage: true,
  });

  // The fleet page marks it too.
  await page.goto('/model-deployments');
  await expect(
    page.getByRole('img', {
      name: /^2 warnings: default has a traffic share of 105 %/,
    }),
  ).toBeVisible();
});

test("a Seldon Core 2 Model's card names the Server it is loaded on", async ({
  page,
}) => {
  await openModel(page, 'guest', 'price-optimizer');
  const card = environment(page, 'Development').getByRole('article', {
    name: 'Model price-optimizer',
  });
  await expect(card.getByText('Server', { exact: true })).toBeVisible();
  await expect(card.getByText('mlserver')).toBeVisible();
  await expect(card.getByText('Ready')).toHaveCount(2);
});
