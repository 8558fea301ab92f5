import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the example portal on its demo default. `bash
 * scripts/test.sh` installs Debian's Chromium and sets CHROMIUM_PATH;
 * Playwright starts the portal (app on :3000, backend on :7007) unless one is
 * running already outside CI.
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  globalSetup: './packages/app/e2e-tests/waitForPortal.ts',
  webServer: {
    command: 'bash scripts/start.sh',
    url: 'http://localhost:3000',
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: 'http://localhost:3000',
    browserName: 'chromium',
    viewport: { width: 1440, height: 1100 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      // Without the background-networking flags Chromium keeps dialling
      // out of a closed network.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
