import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, waitForHydration, goto, logIn, newPage } from './helpers';

// The partner lifecycle (issue 10): apply → rejected with a reason → the applicant sees it
// → after the wait reapplies → approved → the portal; the admin edits the partner's
// settings and the audit log shows it; a suspended partner's link stops attributing.

const PASSWORD = 'lifecycle password';



async function registered(browser: Browser, email: string): Promise<Page> {
  const page = await newPage(browser);
  await goto(page, '/register');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/register'));
  return page;
}

async function apply(page: Page, name: string, promotion: string) {
  await goto(page, '/partners/apply');
  const form = page.getByTestId('apply-form');
  await form.locator('input[name=name]').fill(name);
  await form.locator('input[name=website]').fill('https://creator.example');
  await form.locator('textarea[name=promotion]').fill(promotion);
  await form.locator('input[name=payout_country]').fill('DE');
  await page.getByTestId('apply-submit').click();
}

/** Admin: opens the partner's page from the review queue. */
async function openPartner(admin: Page, name: string) {
  await goto(admin, '/admin/partners');
  await admin.getByTestId('queue-row').filter({ hasText: name }).getByTestId('queue-name').click();
  await expect(admin.getByTestId('partner-header')).toContainText(name);
  await waitForHydration(admin);
}

async function refCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === 'trib_ref');
}

test('apply → rejected with a reason → reapply after the wait → approved → portal; settings audited; suspension stops the link', async ({
  browser,
}) => {
  const stamp = Date.now();
  const name = `Creator ${stamp}`;
  const code = `creator-${stamp}`;

  // A signed-in visitor applies and sees that the application is pending.
  const applicant = await registered(browser, `creator-${stamp}@example.com`);
  await apply(applicant, name, 'A weekly newsletter about small-business tools');
  await expect(applicant.getByTestId('state-what-to-do')).toHaveAttribute('data-state', 'pending');

  // The admin sets a 1-day wait before a reapplication (platform settings), then rejects.
  const admin = await newPage(browser);
  await logIn(admin, DEMO_ADMIN);
  await goto(admin, '/admin/settings');
  await admin.getByTestId('reapply-wait').fill('1');
  await admin.getByTestId('save-platform').click();
  await expect(admin.getByTestId('platform-saved')).toBeVisible();

  await openPartner(admin, name);
  await expect(admin.getByTestId('application')).toContainText('small-business tools');
  await admin.getByTestId('reason-code').selectOption('audience_mismatch');
  await admin.getByTestId('state-note').fill('We are looking for B2B audiences for now.');
  await admin.getByTestId('action-reject').click();
  await expect(admin.getByTestId('partner-state-label')).toHaveText('Rejected');

  // The applicant sees the reason, the note and when they may apply again; no portal.
  await goto(applicant, '/partners');
  const panel = applicant.getByTestId('partner-state-panel');
  await expect(panel.getByTestId('state-reason')).toContainText("The audience doesn't fit the program");
  await expect(panel.getByTestId('state-note')).toContainText('B2B audiences');
  await expect(panel.getByTestId('reapply-at')).toBeVisible();
  await expect(applicant.getByRole('link', { name: 'Referral Links', exact: true })).toHaveCount(0);

  // A day later (the app's clock moves; later journeys see it a day ahead) they reapply
  // and are approved.
  const moved = await admin.request.post('/api/advance_clock', {
    form: { days: '1' },
    headers: { accept: 'application/json' },
  });
  expect(moved.ok()).toBeTruthy();
  await apply(applicant, name, 'Now a B2B newsletter for 5,000 agency owners');
  await expect(applicant.getByTestId('state-what-to-do')).toHaveAttribute('data-state', 'pending');
  await openPartner(admin, name);
  await admin.getByTestId('action-approve').click();
  await expect(admin.getByTestId('partner-state-label')).toHaveText('Approved');

  await goto(applicant, '/partners');
  await expect(applicant.getByTestId('portal-running-stats')).toBeVisible();
  // A new partner's home starts with the getting-started checklist, nothing done yet.
  const checklist = applicant.getByTestId('checklist');
  await expect(checklist.locator('li')).toHaveCount(4);
  await expect(checklist.locator('li[data-step=share]')).toHaveAttribute('data-done', 'false');
  await expect(checklist.locator('li[data-step=referral]')).toHaveAttribute('data-done', 'false');
  await expect(applicant.getByRole('link', { name: 'Referral Links', exact: true })).toBeVisible();

  // The admin raises the commission to 25 %; the audit log shows before → after, and the
  // partner sees the new rate read-only.
  const settings = admin.getByTestId('settings-form');
  await expect(admin.getByTestId('affiliate-link')).toHaveValue(new RegExp(`/register\\?ref=${code}$`));
  await settings.getByTestId('commission-value').fill('25');
  await admin.getByTestId('save-settings').click();
  await expect(admin.getByTestId('settings-saved')).toContainText('Saved 1 change');
  const audit = admin.getByTestId('audit-row').filter({ hasText: 'sales commission' });
  await expect(audit.getByTestId('audit-before')).toHaveText('20.00%');
  await expect(audit.getByTestId('audit-after')).toHaveText('25.00%');
  await expect(audit).toContainText(DEMO_ADMIN);
  await goto(applicant, '/partners/settings');
  await expect(applicant.getByTestId('my-commission')).toHaveText('25.00%');
  await expect(applicant.getByTestId('commission-value')).toHaveCount(0);

  // The link attributes while approved…
  const before = await browser.newContext();
  const landing = await before.newPage();
  await landing.goto(`/register?ref=${code}`);
  expect(await refCookie(before)).toBeTruthy();
  await expect(landing.getByTestId('register-referrer')).toHaveText(`${name} invited you to Tributary.`);
  // That first click ticks "Share it" off the checklist.
  await goto(applicant, '/partners');
  await expect(applicant.getByTestId('checklist').locator('li[data-step=share]')).toHaveAttribute('data-done', 'true');

  // …and not once the partner is suspended.
  await openPartner(admin, name);
  await admin.getByTestId('reason-code').selectOption('terms_violation');
  await admin.getByTestId('action-suspend').click();
  await expect(admin.getByTestId('partner-state-label')).toHaveText('Suspended');
  const after = await browser.newContext();
  await (await after.newPage()).goto(`/register?ref=${code}`);
  expect(await refCookie(after)).toBeUndefined();
  const valid = await after.request.get(`/api/v1/referrals/validate?code=${code}`);
  expect((await valid.json()).valid).toBe(false);

  // The suspended partner sees its state and nothing else.
  await goto(applicant, '/partners');
  await expect(applicant.getByTestId('state-what-to-do')).toHaveAttribute('data-state', 'suspended');
  await expect(applicant.getByRole('link', { name: 'Referral Links', exact: true })).toHaveCount(0);
});
