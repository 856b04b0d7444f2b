import { defineConfig, devices } from '@playwright/test';

// Run by `cargo leptos end-to-end` (scripts/test.sh), which starts the app server and this
// at the same time; global-setup.ts waits for the server.
export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // One worker: the tests share one server and one database.
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    // scripts/test.sh runs the server on a free port and passes it here.
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:3000',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // Chromium only: Debian's chromium, because `npx playwright install` needs GitHub/CDN
      // downloads that these machines cannot make.
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            // Custom-domain journeys: agency hosts resolve to this machine.
            '--host-resolver-rules=MAP *.agency.test 127.0.0.1',
          ],
        },
      },
    },
  ],
});
