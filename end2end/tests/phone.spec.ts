import { type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, DEMO_ADMIN, DEMO_PARTNER_USER, waitForHydration, logIn } from './helpers';

// Every page at a phone's size (390 × 844): no horizontal page overflow, and axe-core finds
// no serious or critical accessibility violation.
test.use({ viewport: { width: 390, height: 844 } });
// Each test visits a whole area (up to 15 pages, each loaded, settled and run through axe):
// 30 s is the default for one journey, not for fifteen.
test.describe.configure({ timeout: 120_000 });


/** The page's problems at this size: overflow and serious/critical axe violations. */
async function problems(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await waitForHydration(page);
  await page.waitForLoadState('networkidle');
  // Scrolling regions become focusable a moment after the data arrives (client/scroll_regions.rs).
  await page.waitForTimeout(900);
  const found: string[] = [];
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) found.push(`${path}: ${scrollWidth} px wide on a ${innerWidth} px screen`);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of results.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    const nodes = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.any[0]?.message ?? ''}`);
    found.push(`${path}: ${v.id} (${v.impact}): ${nodes.join(' | ')}`);
  }
  return found;
}

/** Checks every path and reports all problems at once. */
async function check(page: Page, ...paths: string[]) {
  const found: string[] = [];
  for (const path of paths) found.push(...(await problems(page, path)));
  expect(found, 'pages too wide for a phone, or with serious accessibility violations').toEqual([]);
}

// An invite link with an unknown code and an unknown path show their own pages (the
// invite journey in invites.spec.ts opens a real code).
const PUBLIC = [
  '/',
  '/login',
  '/register',
  '/marketplace',
  '/partners/apply',
  '/register?ref=northwind-agency',
  '/invite/NO-SUCH-CODE',
  '/no-such-page',
];
const ADMIN = [
  '/admin',
  '/admin?period=7',
  '/admin?period=custom&from=2026-11-01&to=2026-11-15',
  '/admin/clicks',
  '/admin/commissions',
  '/admin/partners',
  '/admin/plans',
  '/admin/workspaces',
  '/admin/payouts',
  '/admin/settings',
  '/admin/invite-codes',
  '/admin/credits',
  '/admin/outbox',
];
const PORTAL = [
  '/partners',
  '/partners/links',
  '/partners/tenants',
  '/partners/referrals',
  '/partners/earnings',
  '/partners/payouts',
  '/partners/listings',
  '/partners/analytics',
  '/partners/domains',
  '/partners/sub-accounts',
  '/partners/settings',
];

test('public pages fit a phone and pass axe', async ({ page }) => {
  await page.goto('/marketplace');
  const first = page.locator('a[href^="/marketplace/"]').first();
  const listing = (await first.count()) ? [(await first.getAttribute('href'))!] : [];
  await check(page, ...PUBLIC, ...listing);
});

test('admin pages fit a phone and pass axe', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin/partners');
  const detail = await page.getByTestId('partner-name').first().getAttribute('href');
  await check(page, ...ADMIN, detail!);
});

test('portal pages fit a phone and pass axe', async ({ page }) => {
  await logIn(page, DEMO_PARTNER_USER);
  await check(page, ...PORTAL);
});

test('a customer’s pages fit a phone and pass axe', async ({ page }) => {
  const email = `phone-${Date.now()}@example.com`;
  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password (at least 8 characters)').fill('a good password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/onboarding\/workspace$/);
  const onboarding = await problems(page, '/onboarding/workspace');
  await page.getByLabel('Workspace name').fill('Phone Co');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const customer = [];
  for (const path of ['/dashboard', '/dashboard/settings', '/claim']) customer.push(...(await problems(page, path)));
  // A partner user on an admin page: the 403 page fits too.
  await logIn(page, DEMO_PARTNER_USER);
  const forbidden = await problems(page, '/admin');
  await expect(page.getByTestId('switch-account')).toBeVisible();
  expect([...onboarding, ...customer, ...forbidden]).toEqual([]);
});

test('the menu button opens and closes the navigation by keyboard', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin');
  await waitForHydration(page);
  const menu = page.getByTestId('menu-button');
  const nav = page.locator('#area-nav');
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();
  const box = await menu.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toBeVisible();
  const link = nav.getByRole('link', { name: 'Partners' });
  expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await page.keyboard.press('Space');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();
  // Choosing a page closes the menu.
  await menu.click();
  await link.click();
  await expect(page).toHaveURL(/\/admin\/partners$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});
