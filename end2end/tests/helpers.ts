import type { Page } from '@playwright/test';

// Demo accounts that the server seeds on a fresh database when TRIBUTARY_SEED_DEMO=1
// (src/server/seed.rs). scripts/test.sh sets TRIBUTARY_DEMO_PASSWORD for the server, and
// Playwright inherits the same environment.
export const DEMO_ADMIN = 'admin@tributary.test';
export const DEMO_PARTNER_USER = 'partner@tributary.test';
export const DEMO_PASSWORD = process.env.TRIBUTARY_DEMO_PASSWORD || 'tributary-e2e-demo';

// Clicks and typing before hydration are silently lost. The app sets
// data-hydrated="true" on <body> once the wasm has hydrated the page; call this after
// every page.goto() and before interacting.
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('body[data-hydrated="true"]');
}
