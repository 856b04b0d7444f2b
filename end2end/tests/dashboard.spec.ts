import { type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, DEMO_PARTNER_USER, waitForHydration, logIn } from './helpers';


async function kpi(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(id).getByTestId('kpi-value').innerText()).trim();
}

/** The "1–25 of N" total of the list a figure links to. */
async function listTotal(page: Page): Promise<number> {
  const text = await page.getByTestId('pager-count').innerText();
  return Number(text.split(' of ')[1]);
}

test('the admin overview: figures equal the lists behind their links, and the period switch changes them and the URL', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await waitForHydration(page);
  await expect(page.getByTestId('overview-window')).toContainText('Last 30 days');
  for (const id of ['kpi-signups', 'kpi-conversions']) {
    await page.goto('/admin');
    await waitForHydration(page);
    const value = Number(await kpi(page, id));
    await page.getByTestId(id).click();
    await expect(page).toHaveURL(/\/admin\/workspaces\?referred=1&on=(signup|conversion)&from=\d+&to=\d+$/);
    await expect(page.getByTestId('list-window')).toBeVisible();
    expect(await listTotal(page)).toBe(value);
    // The list keeps its filter when searched (a GET form over the same URL).
    await waitForHydration(page);
    await page.getByTestId('list-search').fill('zzz-no-such-workspace');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/q=zzz-no-such-workspace/);
    await expect(page).toHaveURL(/on=(signup|conversion)/);
    await expect(page.getByTestId('empty')).toBeVisible();
  }
  // MRR links to the active referred workspaces; awaiting approval to the partners.
  await page.goto('/admin');
  await waitForHydration(page);
  await expect(page.getByTestId('kpi-mrr')).toHaveAttribute('href', '/admin/workspaces?referred=1&status=ACTIVE');
  await expect(page.getByTestId('kpi-awaiting')).toHaveAttribute('href', '/admin/partners?status=pending');
  // The period switch.
  await page.getByTestId('period-7').click();
  await expect(page).toHaveURL(/\/admin\?period=7$/);
  await expect(page.getByTestId('overview-window')).toContainText('Last 7 days');
  await expect(page.getByTestId('period-7')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('period-90').click();
  await expect(page).toHaveURL(/\/admin\?period=90$/);
  await expect(page.getByTestId('overview-window')).toContainText('Last 90 days');
  await expect(page.getByTestId('overview-table').locator('tbody tr')).toHaveCount(90);
  // Back goes to the previous period.
  await page.goBack();
  await expect(page).toHaveURL(/\/admin\?period=7$/);
  await expect(page.getByTestId('overview-window')).toContainText('Last 7 days');
});

test("a partner's home figures equal its analytics and payouts pages", async ({ page }) => {
  await logIn(page, DEMO_PARTNER_USER);
  await expect(page).toHaveURL(/\/partners$/);
  await waitForHydration(page);
  await expect(page.getByTestId('home-link')).toHaveValue(/ref=northwind-agency/);
  const home = {
    clicks: await page.getByTestId('home-clicks').innerText(),
    signups: await page.getByTestId('home-signups').innerText(),
    conversions: await page.getByTestId('home-conversions').innerText(),
    onHold: await page.getByTestId('home-on-hold').innerText(),
    available: await page.getByTestId('home-available').innerText(),
    paid: await page.getByTestId('home-paid').innerText(),
  };
  await page.goto('/partners/analytics');
  await waitForHydration(page);
  await expect(page.getByTestId('total-clicks')).toHaveText(home.clicks);
  await expect(page.getByTestId('total-signups')).toHaveText(home.signups);
  await expect(page.getByTestId('total-conversions')).toHaveText(home.conversions);
  await page.goto('/partners/payouts');
  await waitForHydration(page);
  await expect(page.getByTestId('balance-on-hold')).toHaveText(home.onHold);
  await expect(page.getByTestId('balance-available')).toHaveText(home.available);
  await expect(page.getByTestId('paid-total')).toHaveText(home.paid);
});
