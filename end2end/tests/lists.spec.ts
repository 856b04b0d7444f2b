import { type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, DEMO_PARTNER_USER, logIn, waitForHydration } from './helpers';

// Lists (issue #13): the search, filters, sort and page live in the URL, so a view can be
// bookmarked and the back button brings the previous one back.

/** Searches (and optionally sorts) a list through its filter form. */
async function search(page: Page, text: string, sort?: string) {
  await waitForHydration(page);
  await page.getByTestId('list-search').fill(text);
  if (sort) await page.getByTestId('list-sort').selectOption(sort);
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** Filters the list by status through its filter form (search and sort are kept). */
async function filterStatus(page: Page, status: string) {
  await waitForHydration(page);
  await page.getByTestId('list-status').selectOption(status);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`status=${status}`));
}

/** Page 2 holds the 26th row; a status filter empties the list; back, back restores both pages. */
async function pageFilterAndGoBack(page: Page, rowId: string, status: string) {
  await expect(page.getByTestId('pager-count')).toHaveText('1–25 of 26');
  await expect(page.getByTestId(rowId)).toHaveCount(25);
  await page.getByTestId('pager-next').click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId('pager-count')).toHaveText('26–26 of 26');
  await expect(page.getByTestId(rowId)).toHaveCount(1);
  await filterStatus(page, status);
  await expect(page).not.toHaveURL(/page=2/);
  await expect(page.getByTestId('empty')).toContainText('Nothing matches');
  // Signed-in pages are no-store, so going back may load the page anew: wait for it to
  // hydrate before going back again (a popstate before hydration reaches no router).
  await page.goBack();
  await waitForHydration(page);
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId(rowId)).toHaveCount(1);
  await page.goBack();
  await waitForHydration(page);
  await expect(page).not.toHaveURL(/page=2/);
  await expect(page.getByTestId(rowId)).toHaveCount(25);
}

test('Admin → Partners and Portal → Links search, filter and page through the URL, and back restores the view', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const admin = await (await browser.newContext()).newPage();
  await logIn(admin, DEMO_ADMIN);
  for (let n = 1; n <= 26; n++) {
    const nn = String(n).padStart(2, '0');
    const r = await admin.request.post('/api/create_partner', {
      form: {
        name: `Lister ${stamp} ${nn}`,
        contact_email: `lister-${stamp}-${nn}@example.com`,
        commission_kind: 'percent',
        commission_value: '10',
      },
    });
    expect(r.ok(), await r.text()).toBeTruthy();
  }
  await admin.goto('/admin/partners');
  await search(admin, `lister ${stamp}`, 'name');
  await expect(admin).toHaveURL(new RegExp(`q=lister(\\+|%20)${stamp}`));
  await expect(admin).toHaveURL(/sort=name/);
  await expect(admin.getByTestId('partner-row').first()).toContainText(`Lister ${stamp} 01`);
  await pageFilterAndGoBack(admin, 'partner-row', 'suspended');
  // The URL alone is the view: opened fresh, it shows the same page.
  await admin.goto(`/admin/partners?q=lister+${stamp}&sort=name&page=2`);
  await expect(admin.getByTestId('partner-row')).toHaveText([new RegExp(`Lister ${stamp} 26`)]);

  const partner = await (await browser.newContext()).newPage();
  await logIn(partner, DEMO_PARTNER_USER);
  for (let n = 1; n <= 26; n++) {
    const r = await partner.request.post('/api/create_code', { form: { code: `pg-${stamp}-${n}` } });
    expect(r.ok(), await r.text()).toBeTruthy();
  }
  await partner.goto('/partners/links');
  await search(partner, `pg-${stamp}`);
  await expect(partner).toHaveURL(new RegExp(`q=pg-${stamp}`));
  await pageFilterAndGoBack(partner, 'code-row', 'disabled');
});

test('Portal → Earnings is in the navigation, and an unknown filter is explained, not ignored', async ({ page }) => {
  await logIn(page, DEMO_PARTNER_USER);
  await page.goto('/partners');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Earnings', exact: true }).first().click();
  await expect(page).toHaveURL(/\/partners\/earnings$/);
  await expect(page.getByRole('heading', { name: 'Earnings' })).toBeVisible();
  await page.goto('/partners/referrals?status=bogus');
  await waitForHydration(page);
  await expect(page.getByRole('alert')).toContainText('Unknown status "bogus"');
});
