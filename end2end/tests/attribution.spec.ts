import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, DEMO_PARTNER_USER, goto, logIn, newPage, waitForHydration } from './helpers';
import { TestDns } from './dns';

// Marketplace creator attribution (spec 004): the referral survives browsing, the
// register/login hop, a lost server cookie, days away, share links and custom domains.
// The demo creator is Northwind Agency (handle northwind-agency) with the published
// listing "Client Onboarding Kit" (src/server/seed.rs).

const HANDLE = 'northwind-agency';
const LISTING = '/marketplace/client-onboarding-kit';
const DAY_MS = 86_400_000;



/** Registers from the register page and creates a workspace named `workspace`. */
async function signUp(page: Page, email: string, workspace: string) {
  await goto(page, '/register');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('visitor password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/register'));
  await goto(page, '/onboarding/workspace');
  await page.locator('input[name=name]').fill(workspace);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Who the admin sees a workspace attributed to ('—' for nobody). */
async function attributedTo(browser: Browser, workspace: string): Promise<string> {
  const admin = await newPage(browser);
  await logIn(admin, DEMO_ADMIN);
  await goto(admin, '/admin/workspaces');
  const row = admin.getByTestId('workspace-row').filter({ hasText: workspace });
  await expect(row).toHaveCount(1);
  return (await row.getByTestId('workspace-partner').innerText()).trim();
}

async function cookie(context: BrowserContext, name: string) {
  return (await context.cookies()).find((c) => c.name === name);
}

test('a listing visit survives browsing and the auth hop, and the creator sees the signup', async ({ browser }) => {
  const stamp = Date.now();
  const context = await browser.newContext();
  const visitor = await context.newPage();
  await goto(visitor, `${LISTING}?ref=${HANDLE}`);
  await expect(visitor.getByTestId('listing-title')).toHaveText('Client Onboarding Kit');
  expect((await cookie(context, 'trib_ref'))?.value).toMatch(new RegExp(`^${HANDLE}\\.`));
  await goto(visitor, '/marketplace');
  await goto(visitor, '/');
  await signUp(visitor, `listing-${stamp}@example.com`, `Listing Visitor ${stamp}`);
  expect(await cookie(context, 'trib_ref')).toBeUndefined();
  expect(await attributedTo(browser, `Listing Visitor ${stamp}`)).toBe('Northwind Agency');

  const creator = await newPage(browser);
  await logIn(creator, DEMO_PARTNER_USER);
  await goto(creator, '/partners/referrals');
  await expect(creator.locator('tr', { hasText: `Listing Visitor ${stamp}` })).toContainText('Marketplace listing');
  await goto(creator, '/partners/analytics');
  await expect(creator.getByTestId('daily-chart')).toBeVisible();
  await expect(creator.getByTestId('stats-by-listing')).toContainText('Client Onboarding Kit');
});

test('browser storage restores the referral when the server cookie is deleted', async ({ browser }) => {
  const stamp = Date.now();
  const context = await browser.newContext();
  const visitor = await context.newPage();
  await goto(visitor, `${LISTING}?ref=${HANDLE}`);
  const kept = await visitor.evaluate(() => localStorage.getItem('tributary.referral'));
  expect(kept).toContain(HANDLE);
  await context.clearCookies({ name: 'trib_ref' });
  expect(await cookie(context, 'trib_ref')).toBeUndefined();
  await goto(visitor, '/register');
  // The hydrated page asks the server to set the cookie again from its copy.
  await expect.poll(async () => (await cookie(context, 'trib_ref'))?.value).toContain(HANDLE);
  await signUp(visitor, `restored-${stamp}@example.com`, `Restored Visitor ${stamp}`);
  expect(await attributedTo(browser, `Restored Visitor ${stamp}`)).toBe('Northwind Agency');
});

test('a visitor returning days later is attributed inside the window and not after it', async ({ browser, baseURL }) => {
  const stamp = Date.now();
  for (const [days, name, expected] of [
    [59, `Returning ${stamp} A`, 'Northwind Agency'],
    [61, `Returning ${stamp} B`, '—'],
  ] as const) {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'trib_ref', value: `${HANDLE}.${Date.now() - days * DAY_MS}`, url: baseURL! }]);
    const visitor = await context.newPage();
    await signUp(visitor, `returning-${days}-${stamp}@example.com`, name);
    expect(await attributedTo(browser, name)).toBe(expected);
  }
});

test("a listing's sign-up continues into workspace creation and back to the listing", async ({ browser }) => {
  const stamp = Date.now();
  const visitor = await newPage(browser);
  await goto(visitor, `${LISTING}?ref=${HANDLE}`);
  await visitor.getByTestId('signup-cta').click();
  await expect(visitor).toHaveURL(/\/register\?next=/);
  await visitor.locator('input[name=email]').fill(`cta-${stamp}@example.com`);
  await visitor.locator('input[name=password]').fill('visitor password');
  await visitor.getByRole('button', { name: 'Create account' }).click();
  await expect(visitor).toHaveURL(/\/onboarding\/workspace\?next=/);
  await waitForHydration(visitor);
  await visitor.locator('input[name=name]').fill(`CTA Visitor ${stamp}`);
  await visitor.getByRole('button', { name: 'Create workspace' }).click();
  await expect(visitor).toHaveURL(new RegExp(`${LISTING}$`));
  // Back on the listing, which no longer offers to sign up.
  await expect(visitor.getByTestId('listing-in-workspace')).toContainText(`CTA Visitor ${stamp}`);
  await expect(visitor.getByTestId('signup-cta')).toHaveCount(0);
  expect(await attributedTo(browser, `CTA Visitor ${stamp}`)).toBe('Northwind Agency');
});

test('a share link credits its listing', async ({ browser }) => {
  const stamp = Date.now();
  const title = `Share Kit ${stamp}`;
  const creatorContext = await browser.newContext();
  const creator = await creatorContext.newPage();
  await logIn(creator, DEMO_PARTNER_USER);
  await goto(creator, '/partners/listings');
  await creator.locator('input[name=title]').first().fill(title);
  await creator.locator('textarea[name=description]').first().fill('A kit to share.');
  await creator.locator('input[name=price]').first().fill('12.00');
  await creator.getByRole('button', { name: /Create listing/ }).click();
  const row = creator.locator('tr', { hasText: title }).first();
  await row.getByRole('button', { name: 'Publish' }).click();
  await row.getByRole('button', { name: /share link/i }).click();
  // Newest first: the link just made is the first row of its listing.
  const shareRow = creator.getByTestId('share-link-row').filter({ hasText: title }).first();
  const link = await shareRow.getByTestId('share-link').inputValue();
  expect(link).toMatch(/\/marketplace\/share-kit-[0-9]+.*\?share=[0-9a-f]+$/);

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await goto(visitor, new URL(link).pathname + new URL(link).search);
  expect(await cookie(visitorContext, 'trib_share')).toBeDefined();
  await signUp(visitor, `shared-${stamp}@example.com`, `Shared Visitor ${stamp}`);

  await goto(creator, '/partners/analytics');
  const listingRow = creator.getByTestId('stats-by-listing').locator('tr', { hasText: title });
  // Columns: listing, clicks, signups, conversions, conversion rate.
  await expect(listingRow.locator('td').nth(1)).toHaveText('1');
  await expect(listingRow.locator('td').nth(2)).toHaveText('1');
});

test('a custom domain shows the agency branding and attributes signups made there', async ({ browser, baseURL }) => {
  // The app asks this responder (TRIBUTARY_DNS_SERVER) for the domain's TXT record.
  const dns = await TestDns.start();
  try {
    await customDomainJourney(browser, baseURL!, dns);
  } finally {
    await dns.stop();
  }
});

async function customDomainJourney(browser: Browser, baseURL: string, dns: TestDns) {
  const stamp = Date.now();
  const host = `p${stamp}.agency.test`;
  const port = new URL(baseURL).port;
  const creator = await newPage(browser);
  await logIn(creator, DEMO_PARTNER_USER);
  await goto(creator, '/partners/domains');
  await creator.locator('input[name=host]').fill(host);
  await creator.locator('input[name=brand_name]').fill('Agency One');
  await creator.locator('input[name=brand_color]').fill('#aa3300');
  await creator.getByRole('button', { name: /Add domain|Connect/i }).click();
  const row = creator.locator(`tr[data-testid=domain-row][data-host="${host}"]`);
  await expect(row.getByTestId('domain-status')).toHaveText('Pending verification');

  // Until the DNS record checks out, the host is just another name for the platform.
  const early = await (await browser.newContext({ baseURL: `http://${host}:${port}` })).newPage();
  await goto(early, '/');
  await expect(early.getByTestId('brand-name').first()).toHaveText('Tributary');

  const record = creator.locator(`tr[data-testid=dns-record][data-host="${host}"]`);
  const name = await record.getByTestId('txt-name').inputValue();
  const value = await record.getByTestId('txt-value').inputValue();
  expect(name).toBe(`_tributary.${host}`);
  expect(value).toMatch(/^tributary-verify=[0-9a-f]{32}$/);
  dns.setTxt(name, [value]);
  await row.getByRole('button', { name: 'Check now' }).click();
  await expect(row.getByTestId('domain-status')).toHaveText('Verified');

  const context = await browser.newContext({ baseURL: `http://${host}:${port}` });
  const visitor = await context.newPage();
  await goto(visitor, `${LISTING}?ref=${HANDLE}`);
  await expect(visitor.getByTestId('brand-name').first()).toHaveText('Agency One');
  expect((await cookie(context, 'trib_ref'))?.domain).toContain(host);
  await signUp(visitor, `domain-${stamp}@example.com`, `Domain Visitor ${stamp}`);
  expect(await attributedTo(browser, `Domain Visitor ${stamp}`)).toBe('Northwind Agency');

  // Unknown hosts get the platform's own branding.
  const plain = await newPage(browser);
  await goto(plain, '/');
  await expect(plain.getByTestId('brand-name').first()).toHaveText('Tributary');
}
