import { test, expect, DEMO_ADMIN, DEMO_PARTNER_USER, DEMO_PASSWORD, waitForHydration, logIn, submitLogIn } from './helpers';


test('a visitor registers, creates a workspace, sees the dashboard and logs out', async ({ page }) => {
  const email = `new-${Date.now()}@example.com`;
  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password (at least 8 characters)').fill('a good password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(page);
  await page.getByLabel('Workspace name').fill('Pied Piper');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('workspace-name')).toContainText('Pied Piper');
  await expect(page.getByTestId('whoami')).toHaveText(email);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
});

test('registration shows a clear message for a short password', async ({ page }) => {
  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Email').fill(`short-${Date.now()}@example.com`);
  await page.getByLabel('Password (at least 8 characters)').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText(/8/);
  await expect(page).toHaveURL(/\/register$/);
});

test('a wrong password is refused with a message', async ({ page }) => {
  await submitLogIn(page, DEMO_ADMIN, 'not the password');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
});

test('the platform admin logs in and sees the admin dashboard', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('admin-overview')).toContainText('Partners');
  await expect(page.getByTestId('whoami')).toHaveText(DEMO_ADMIN);
});

test('a signed-out visitor is sent to login and comes back to the page afterwards', async ({ page }) => {
  await page.goto('/admin/partners');
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fpartners$/);
  await waitForHydration(page);
  await page.getByLabel('Email').fill(DEMO_ADMIN);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/admin\/partners$/);
});

test('a partner user sees the partner portal but not the admin dashboard', async ({ page }) => {
  await logIn(page, DEMO_PARTNER_USER);
  await expect(page).toHaveURL(/\/partners$/);
  await expect(page.getByTestId('partner-name')).toContainText('Northwind Agency');
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId('forbidden')).toBeVisible();
});

test('the payout calculator reacts only once the page has hydrated', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await expect(page.getByTestId('calc-result')).toHaveText('Payout per conversion: $19.80');
  await page.locator('input[name=calc-price]').fill('10.01');
  await page.locator('input[name=calc-percent]').fill('50');
  // 1001 cents at 50% = 500.5 → 501 cents, rounded half up.
  await expect(page.getByTestId('calc-result')).toHaveText('Payout per conversion: $5.01');
  await page.locator('input[name=calc-percent]').fill('101');
  await expect(page.getByTestId('calc-result')).toContainText('100%');
});

test('the front end is served compressed, and in a hashed build cached for a year', async ({ page, request }) => {
  await page.goto('/login');
  await waitForHydration(page);
  const assets = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/pkg/')),
  );
  const wasm = assets.find((p) => p.endsWith('.wasm'));
  const css = assets.find((p) => p.endsWith('.css'));
  expect(wasm, `the page loaded a wasm file (${assets.join(', ')})`).toBeTruthy();
  expect(css).toBeTruthy();
  const hashed = process.env.LEPTOS_HASH_FILES === 'true';
  for (const path of [wasm!, css!]) {
    const response = await request.get(path, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(response.ok()).toBeTruthy();
    if (hashed) {
      // tributary.<hash>.wasm: the content never changes under a name.
      expect(path).toMatch(/^\/pkg\/tributary\.[A-Za-z0-9_-]{8,}\.(wasm|css)$/);
      expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    } else {
      expect(response.headers()['cache-control']).toBe('no-cache');
    }
  }
});
