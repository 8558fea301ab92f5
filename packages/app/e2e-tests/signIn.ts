import { expect, Page } from '@playwright/test';

/**
 * The demo users of app-config.yaml's app.demoSignIn, by entity name, with
 * the display name their sign-in button shows.
 */
export const DEMO_USERS = {
  guest: 'Guest',
  priya: 'Priya Raman',
  tomas: 'Tomás Ortega',
  amara: 'Amara Okafor',
  kenji: 'Kenji Sato',
} as const;

export type DemoUserName = keyof typeof DEMO_USERS;

/** Where the sign-in page keeps the chosen user (see DemoSignInPage). */
const STORAGE_KEY = 'model-deployments-demo:sign-in-user';

/**
 * Signs in as a demo user on the page that is loading: picks the user when
 * the demo sign-in page shows, or accepts the automatic sign-in of a user
 * chosen earlier in the test, then waits for the portal's sidebar.
 */
export async function signIn(page: Page, user: DemoUserName = 'guest') {
  const choose = page.getByRole('button', {
    name: `Sign in as ${DEMO_USERS[user]}`,
  });
  const signedIn = page.getByRole('link', { name: 'Catalog' });
  await expect(choose.or(signedIn).first()).toBeVisible();
  if (await choose.isVisible()) {
    await choose.click();
  }
  await expect(signedIn).toBeVisible();
  const current = await page.evaluate(
    key => window.localStorage.getItem(key),
    STORAGE_KEY,
  );
  if (current !== user) {
    throw new Error(
      `Expected to be signed in as ${user} but the portal signed in as ${current}; sign out first`,
    );
  }
}
