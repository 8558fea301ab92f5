import { expect, test as base } from '@playwright/test';
// Browser tests run in Node; the app's own code must not import these.
// eslint-disable-next-line no-restricted-imports
import fs from 'fs';
// eslint-disable-next-line no-restricted-imports
import path from 'path';
import { parse } from 'yaml';

/** Config keys whose values are credentials, as the backend tests scan for. */
const SECRET_KEY = /token|password|secret|credential|privateKey|apiKey/i;

function collectSecrets(value: unknown, key: string, into: Set<string>) {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && value.length >= 6) into.add(value);
  } else if (Array.isArray(value)) {
    value.forEach(item => collectSecrets(item, key, into));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, k, into);
  }
}

/** The credentials in the portal's app-config.yaml (e.g. the demo cluster's token). */
function portalSecrets(): string[] {
  const file = path.resolve(__dirname, '../../../app-config.yaml');
  const found = new Set<string>();
  collectSecrets(parse(fs.readFileSync(file, 'utf8')), '', found);
  return [...found];
}

const SECRETS = portalSecrets();

/**
 * Every browser test, with every backend answer the page receives scanned
 * for the portal's credentials: none may reach the browser.
 */
export const test = base.extend<{ secretScan: void }>({
  secretScan: [
    async ({ page }, use) => {
      if (SECRETS.length === 0) {
        throw new Error('app-config.yaml has no credentials to scan for');
      }
      const leaks: string[] = [];
      const scans: Promise<void>[] = [];
      page.on('response', response => {
        if (!new URL(response.url()).pathname.startsWith('/api/')) return;
        scans.push(
          response
            .text()
            .catch(() => '') // bodies of redirects and aborted requests
            .then(body => {
              const text = `${JSON.stringify(response.headers())}\n${body}`;
              if (SECRETS.some(secret => text.includes(secret))) {
                leaks.push(`${response.request().method()} ${response.url()}`);
              }
            }),
        );
      });
      await use();
      await Promise.all(scans);
      expect(leaks, 'responses that carried a credential').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
