import type { Page } from '@playwright/test';

// Clicks and typing before hydration are silently lost. The app sets
// data-hydrated="true" on <body> once the wasm has hydrated the page; call this after
// every page.goto() and before interacting.
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('body[data-hydrated="true"]');
}
