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

/** "$1,234.56" or "-$5.00" as cents. */
function cents(text: string): number {
  const negative = text.includes('-');
  const value = Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);
  return negative ? -value : value;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

test('a custom range: whole days in the URL, and its clicks and commissions lists add up to its figures', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await waitForHydration(page);
  const day = 24 * 3600 * 1000;
  const from = isoDay(Date.now() - 20 * day);
  const to = isoDay(Date.now() - 7 * day);
  await page.getByTestId('custom-range').locator('summary').click();
  await page.getByTestId('custom-from').fill(from);
  await page.getByTestId('custom-to').fill(to);
  await page.getByTestId('custom-apply').click();
  await expect(page).toHaveURL(new RegExp(`/admin\\?period=custom&from=${from}&to=${to}$`));
  await expect(page.getByTestId('overview-window')).toContainText(`${from} to ${to} (14 days)`);
  await expect(page.getByTestId('overview-table').locator('tbody tr')).toHaveCount(14);
  await expect(page.getByTestId('custom-range')).toHaveAttribute('open', '');
  // Bars when the window earned something (the e2e seed has no history), else the empty state.
  await expect(
    page.getByTestId('commission-bars').or(page.getByText('No commissions earned in this period.')),
  ).toBeVisible();
  await waitForHydration(page);

  // Clicks → the click list of exactly that window.
  const clicks = Number((await kpi(page, 'kpi-clicks')).replace(/,/g, ''));
  await page.getByTestId('kpi-clicks').click();
  await expect(page).toHaveURL(/\/admin\/clicks\?on=click&from=\d+&to=\d+$/);
  await expect(page.getByTestId('list-window')).toBeVisible();
  if (clicks === 0) {
    await expect(page.getByTestId('empty')).toBeVisible();
  } else {
    expect(await listTotal(page)).toBe(clicks);
  }

  // Commissions earned → the cash entries of that window; on one page their sum is the figure.
  await page.goBack();
  await expect(page).toHaveURL(/period=custom/);
  await waitForHydration(page);
  const earned = cents(await kpi(page, 'kpi-commissions'));
  await page.getByTestId('kpi-commissions').click();
  await expect(page).toHaveURL(/\/admin\/commissions\?on=earned&kind=cash&from=\d+&to=\d+$/);
  await expect(page.getByTestId('list-window')).toBeVisible();
  const amounts = await page.getByTestId('ledger-amount').allInnerTexts();
  if (amounts.length < 25) {
    expect(amounts.map(cents).reduce((a, b) => a + b, 0)).toBe(earned);
  }

  // A range the page cannot read says why, and the presets still work.
  await page.goto(`/admin?period=custom&from=${to}&to=${from}`);
  await expect(page.getByRole('alert')).toContainText('The end date is before the start date');
  await waitForHydration(page);
  await page.getByTestId('period-7').click();
  await expect(page.getByTestId('overview-window')).toContainText('Last 7 days');
});
