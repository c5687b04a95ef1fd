import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the web app in Debian's Chromium (`/usr/bin/chromium`,
 * or `CHROMIUM`), against a real `hisaab serve` on a fresh data directory
 * (e2e/serve.sh) serving the built app from `dist/`.
 */
const port = Number(process.env['E2E_PORT'] ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/output',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `bash e2e/serve.sh ${port}`,
    url: `http://127.0.0.1:${port}/v1/openapi.json`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
