import { Page } from '@playwright/test';
import { DemoUserName, signIn } from './signIn';

/** Where the browser tests leave their screenshots. */
export const SCREENSHOTS = 'test-results/screenshots';

/** Opens a model's Deployments tab signed in as a demo user (examples/org.yaml). */
export async function openModel(page: Page, user: DemoUserName, model: string) {
  await page.goto(`/catalog/default/component/${model}/model-deployments`);
  await signIn(page, user);
}

/** An environment's column on the Deployments tab, by its title. */
export function environment(page: Page, title: string) {
  return page.getByRole('region', { name: title, exact: true });
}
