import { expect, test } from './fixtures';
import { signIn } from './signIn';

// These tests change the demo (a commit to staging, a new environment), so
// this file sorts after the ones that expect the demo as it starts.
const SCREENSHOTS = 'test-results/screenshots';

test('the "Promote a model" template promotes through the scaffolder action', async ({
  page,
}) => {
  await page.goto('/create');
  await signIn(page, 'guest');
  await page.goto('/create/templates/default/promote-model');

  const model = page.getByRole('textbox', { name: 'Model' });
  await model.click();
  await model.fill('fraud');
  await page.getByRole('option', { name: /fraud-scorer|Fraud scorer/ }).click();
  // Environments come from the model-deployments backend; guest is no
  // release manager, so production is offered but disabled.
  const target = page.getByRole('combobox', { name: /Promote to/ });
  await expect(
    target.getByRole('option', { name: /^Production .*may not promote/ }),
  ).toBeDisabled();
  await target.selectOption('staging');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // Run twice against one portal, the second run finds staging up to date.
  await expect(
    page
      .getByText(
        /(Promoted|Already up to date:) fraud-scorer \(.*\) from dev to staging/,
      )
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({
    path: `${SCREENSHOTS}/template-promote-model.png`,
    fullPage: true,
  });

  // The demo's sync tool applies the commit within seconds: staging then
  // runs what Git says. The page reloads until it shows.
  await page.goto('/catalog/default/component/fraud-scorer/model-deployments');
  const card = page
    .getByRole('region', { name: 'Staging', exact: true })
    .getByRole('article', { name: 'SeldonDeployment fraud-scorer' });
  await expect(async () => {
    await page.reload();
    await expect(card.getByText('In sync', { exact: true })).toBeVisible({
      timeout: 3_000,
    });
    await expect(card.getByText('Ready', { exact: true })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 30_000 });
  await expect(card.getByText('Promoted from dev')).toBeVisible();
});

test('the "Create a model environment" template adds a stage the portal then shows', async ({
  page,
}) => {
  await page.goto('/create');
  await signIn(page, 'guest');
  await page.goto('/create/templates/default/create-model-environment');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('qa');
  await page
    .getByRole('textbox', { name: 'Title', exact: true })
    .fill('Quality assurance');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByText(/Created environment qa|Environment qa already has/).first(),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({
    path: `${SCREENSHOTS}/template-create-environment.png`,
    fullPage: true,
  });

  // Discovery finds the labelled namespace; the fleet page gets a column.
  await page.goto('/model-deployments');
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('columnheader', { name: /Quality assurance/ }),
    ).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
});
