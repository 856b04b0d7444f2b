import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

// Every spec imports `test` and `expect` from here. A journey can pass on server HTML while
// the wasm app panicked during hydration (the panic shows only as an uncaught page error),
// so every uncaught error in any page of the test, including pages of contexts the test
// opens itself, fails the test.
// A test that provokes a known browser-side error on purpose lists it in `allowedPageErrors`
// (`test.use(...)`); anything else still fails it.
export const test = base.extend<{ pageErrors: string[]; allowedPageErrors: RegExp[] }>({
  allowedPageErrors: [[], { option: true }],
  pageErrors: [
    async ({ browser, context, allowedPageErrors }, use) => {
      const errors: string[] = [];
      const watch = (ctx: BrowserContext) =>
        ctx.on('weberror', (e) => errors.push(`${e.page()?.url() ?? '?'}: ${e.error().message}`));
      watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const ctx = await newContext(...args);
        watch(ctx);
        return ctx;
      };
      await use(errors);
      browser.newContext = newContext;
      const unexpected = errors.filter((e) => !allowedPageErrors.some((allowed) => allowed.test(e)));
      expect(unexpected, 'uncaught errors in the page (a wasm panic?)').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

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

// Opens the path and waits until the page has hydrated.
export async function goto(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

// A page in a context of its own (its own cookies: another person). `clipboard` lets the
// page's copy buttons write to the clipboard and the test read it.
export async function newPage(browser: Browser, { clipboard = false } = {}): Promise<Page> {
  const context = await browser.newContext();
  if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  return context.newPage();
}

// Fills in and submits the login form, without waiting for where it leads (a refused
// password stays on /login).
export async function submitLogIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await goto(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

// Logs in and waits until the app has left the login page.
export async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await submitLogIn(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
