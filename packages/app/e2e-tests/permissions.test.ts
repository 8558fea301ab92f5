import { expect, test } from './fixtures';
import { SCREENSHOTS, environment, openModel } from './pages';
import { signIn } from './signIn';

/*
 * The example policy (packages/backend/src/modules/modelDeploymentsPolicy.ts)
 * as people see it: everyone reads dev and staging, only a model's owners
 * read production, only release managers promote into production.
 */

test('guest reads production only for the models of the ML platform team', async ({
  page,
}) => {
  await openModel(page, 'guest', 'iris-classifier');
  const production = environment(page, 'Production');
  await expect(production.getByText('Ready').first()).toBeVisible();
  await expect(production.getByText('Not permitted')).toHaveCount(0);
  // Not a release manager: the way to production is shown, but closed.
  await expect(
    environment(page, 'Staging').getByRole('button', {
      name: 'Promote to Production',
    }),
  ).toBeDisabled();

  await openModel(page, 'guest', 'fraud-scorer');
  const fraudProduction = environment(page, 'Production');
  await expect(fraudProduction.getByText('Not permitted')).toBeVisible();
  await expect(
    fraudProduction.getByText(
      "You may not see this model's deployments in 'Production'.",
    ),
  ).toBeVisible();
  await expect(fraudProduction.getByText('canary 10%')).toHaveCount(0);
  // Dev and staging stay readable for everyone.
  await expect(
    environment(page, 'Development').getByText('Ready').first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/permissions-guest-fraud-scorer.png`,
    fullPage: true,
  });
});

test('tomas reads production for his team’s model, not for iris', async ({
  page,
}) => {
  await openModel(page, 'tomas', 'fraud-scorer');
  await expect(
    environment(page, 'Production').getByText('canary 10%'),
  ).toBeVisible();

  await page.goto(
    '/catalog/default/component/iris-classifier/model-deployments',
  );
  await signIn(page, 'tomas');
  await expect(
    environment(page, 'Production').getByText('Not permitted'),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/permissions-tomas-iris-classifier.png`,
    fullPage: true,
  });
});

test('priya, a release manager, may promote to production', async ({
  page,
}) => {
  await openModel(page, 'priya', 'iris-classifier');
  await expect(
    environment(page, 'Staging').getByRole('button', {
      name: 'Promote to Production',
    }),
  ).toBeEnabled();
});
