import { expect, test } from './fixtures';
import { DEMO_USERS, signIn } from './signIn';

const SCREENSHOTS = 'test-results/screenshots';

test('demo users sign in as themselves, and signing out offers them again', async ({
  page,
}) => {
  await page.goto('/settings');
  await expect(
    page.getByRole('button', { name: `Sign in as ${DEMO_USERS.guest}` }),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/demo-sign-in.png`,
    fullPage: true,
  });
  await signIn(page, 'tomas');

  // The identity and ownership come from the catalog (examples/org.yaml).
  const userEntity = page.getByText(/^User Entity:/);
  const ownership = page.getByText(/^Ownership Entities:/);
  await expect(userEntity).toContainText(/tomas|Tomás Ortega/);
  await expect(ownership).toContainText('risk-ml');
  await expect(ownership).not.toContainText('ml-platform');

  // The choice is remembered across reloads.
  await page.reload();
  await expect(userEntity).toContainText(/tomas|Tomás Ortega/);

  // Signing out forgets the choice: the users are offered again.
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await expect(
    page.getByRole('button', { name: `Sign in as ${DEMO_USERS.priya}` }),
  ).toBeVisible();
  await signIn(page, 'priya');
  await page.goto('/settings');
  await expect(userEntity).toContainText(/priya|Priya Raman/);
  await expect(ownership).toContainText('release-managers');
  await page.screenshot({
    path: `${SCREENSHOTS}/demo-signed-in-settings.png`,
    fullPage: true,
  });
});
