import { expect, test } from './fixtures';
import { signIn } from './signIn';

/*
 * Measures the fleet page in a real browser with 200 models in three
 * environments. The page's API answer is replaced with a generated fleet
 * so that the size is known; the numbers are printed, not asserted.
 */
const MODELS = 200;
const ENVIRONMENTS = [
  { name: 'dev', title: 'Development', stage: 10 },
  { name: 'staging', title: 'Staging', stage: 20 },
  { name: 'production', title: 'Production', stage: 30 },
];
const PHASES = ['Ready', 'Ready', 'Ready', 'Progressing', 'Failed'];

function generatedFleet() {
  return {
    environments: ENVIRONMENTS.map(e => ({
      environment: {
        ...e,
        cluster: 'demo',
        namespace: e.name,
        restricted: e.name === 'production',
        origin: 'config',
      },
      warnings: [],
      syncedAt: new Date().toISOString(),
    })),
    models: Array.from({ length: MODELS }, (_, i) => {
      const name = `model-${String(i).padStart(3, '0')}`;
      return {
        entityRef: `component:default/${name}`,
        title: name,
        owner: `group:default/team-${i % 7}`,
        lifecycle: 'production',
        deployments: ENVIRONMENTS.map((e, j) => ({
          environment: e.name,
          apiVersion: 'machinelearning.seldon.io/v1',
          kind: 'SeldonDeployment',
          name,
          namespace: e.name,
          labels: {},
          phase: PHASES[(i + j) % PHASES.length],
          desiredReplicas: 2,
          availableReplicas: 2,
          versions: [
            {
              component: 'default/classifier',
              modelUri: `gs://models/${name}/v${j + 1}`,
            },
          ],
          traffic: [{ name: 'default', percent: 100, role: 'main' }],
          conditions: [],
        })),
      };
    }),
  };
}

test('the fleet page stays responsive with 200 models', async ({ page }) => {
  const fleet = generatedFleet();
  await page.route('**/api/model-deployments/fleet', route =>
    route.fulfill({ json: fleet }),
  );
  // From navigation (including the demo sign-in as guest) to a full table.
  let started = Date.now();
  await page.goto('/model-deployments');
  await signIn(page, 'guest');
  const count = page.getByText(`${MODELS} of ${MODELS} models`);
  await expect(count).toBeVisible();
  const firstRender = Date.now() - started;
  // A page at a time: the first 50 models.
  const links = page.getByRole('link', { name: /^model-\d{3}$/ });
  await expect(links).toHaveCount(50);
  await expect(page.getByText(`1–50 of ${MODELS}`)).toBeVisible();

  // Every model on one page, as a user may choose.
  started = Date.now();
  await page.getByRole('button', { name: /Models per page/ }).click();
  await page.getByRole('option', { name: '250' }).click();
  await expect(links).toHaveCount(MODELS);
  const allRows = Date.now() - started;

  const search = page.getByRole('searchbox', { name: 'Search' });
  started = Date.now();
  await search.fill('model-19');
  // model-190 … model-199
  await expect(page.getByText(`10 of ${MODELS} models`)).toBeVisible();
  const textFilter = Date.now() - started;

  started = Date.now();
  await search.fill('');
  await expect(count).toBeVisible();
  const clearFilter = Date.now() - started;

  started = Date.now();
  await page.getByLabel('Status').selectOption('Failed');
  const failing = fleet.models.filter(m =>
    m.deployments.some(d => d.phase === 'Failed'),
  ).length;
  await expect(page.getByText(`${failing} of ${MODELS} models`)).toBeVisible();
  const statusFilter = Date.now() - started;

  // eslint-disable-next-line no-console
  console.log(
    `fleet page, ${MODELS} models x ${ENVIRONMENTS.length} environments: ` +
      `load to table ${firstRender} ms, all ${MODELS} rows ${allRows} ms, ` +
      `text filter ${textFilter} ms, ` +
      `clear ${clearFilter} ms, status filter ${statusFilter} ms`,
  );
});
