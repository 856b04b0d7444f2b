import type { FullConfig } from '@playwright/test';

// `cargo leptos end-to-end` starts the app server and Playwright at the same time, and the
// server may still be migrating and seeding: wait until it answers at all (any HTTP status)
// before the first test runs, for up to 120 s.
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL || 'http://127.0.0.1:3000';
  const deadline = Date.now() + 120_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await fetch(baseURL, { signal: AbortSignal.timeout(5_000) });
      return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no answer from ${baseURL} within 120 s: ${String(lastError)}`);
}
