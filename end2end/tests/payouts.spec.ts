import { type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, waitForHydration, goto, logIn, newPage } from './helpers';

// Earnings and payouts (issue #11) with the seeded "Harbor Payouts" partner: 20 %, a
// 7-day hold and a $50.00 threshold. A referred workspace pays monthly invoices (admin
// actions), the partner sees them held then available, the balance below the threshold
// rolls forward, crosses it, a run pays it and the partner downloads the statement; a
// refund after the payout is a clawback and the next payout is smaller by exactly that.

const PAYOUTS_USER = 'payouts@tributary.test';
const PASSWORD = 'journey password';




/** Moves the server's clock forward (TRIBUTARY_CLOCK_CONTROL=1); sessions may expire. */
async function advanceClock(admin: Page, days: number) {
  const r = await admin.request.post('/api/advance_clock', { form: { days: String(days) } });
  expect(r.ok(), await r.text()).toBeTruthy();
}

async function recordInvoice(admin: Page, workspace: string, amount: string) {
  await goto(admin, '/admin/workspaces');
  const row = admin.getByTestId('workspace-row').filter({ hasText: workspace });
  await row.getByTestId('invoice-amount').fill(amount);
  await row.getByTestId('record-invoice').click();
  await expect(row.getByTestId('invoice-outcome')).toContainText('Recorded');
}

async function runNow(admin: Page) {
  await goto(admin, '/admin/payouts');
  await admin.getByTestId('run-now').click();
  await expect(admin.getByTestId('run-outcome')).toContainText('Run finished');
}

test('payouts: held → available → below threshold rolls forward → paid → statement → clawback', async ({ browser }) => {
  // About thirty page loads and two months of clock: longer than the default 30 s.
  test.setTimeout(180_000);
  const stamp = Date.now();
  const workspace = `Harbor Customer ${stamp}`;

  // A customer arrives through Harbor's link and the admin activates it on Growth ($99.00).
  const visitor = await newPage(browser);
  await visitor.goto('/register?ref=harbor-payouts');
  await waitForHydration(visitor);
  await visitor.locator('input[name=email]').fill(`harbor-${stamp}@example.com`);
  await visitor.locator('input[name=password]').fill(PASSWORD);
  await visitor.getByRole('button', { name: 'Create account' }).click();
  await expect(visitor).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(visitor);
  await visitor.locator('input[name=name]').fill(workspace);
  await visitor.getByRole('button', { name: 'Create workspace' }).click();
  await expect(visitor).toHaveURL(/\/dashboard$/);

  const admin = await newPage(browser);
  await logIn(admin, DEMO_ADMIN);
  await goto(admin, '/admin/workspaces');
  const ws = admin.getByTestId('workspace-row').filter({ hasText: workspace });
  const growth = await ws.locator('select[name=plan_id] option', { hasText: 'Growth' }).first().getAttribute('value');
  await ws.locator('select[name=plan_id]').selectOption(growth ?? '');
  await ws.getByTestId('status-select').selectOption('ACTIVE');
  await ws.getByRole('button', { name: 'Save' }).click();
  await expect(ws.getByTestId('subscription-outcome')).toContainText('$19.80');

  // Three monthly invoices: the first is the conversion's period, two more earn $19.80 each.
  for (let i = 0; i < 3; i++) await recordInvoice(admin, workspace, '99.00');

  // The partner sees $59.40 on hold, each entry with its release date.
  const partner = await newPage(browser);
  await logIn(partner, PAYOUTS_USER);
  await goto(partner, '/partners/payouts');
  await expect(partner.getByTestId('balance-on-hold')).toHaveText('$59.40');
  await expect(partner.getByTestId('held-row')).toHaveCount(3);
  await expect(partner.getByTestId('release-date').first()).toHaveText(/^\d{4}-\d{2}-\d{2}$/);

  // A week later they are available, but a refund of the last invoice's half leaves
  // $49.50: below the $50.00 threshold, so the run pays nothing and it rolls forward.
  await advanceClock(admin, 7);
  await goto(admin, '/admin/workspaces');
  const row = admin.getByTestId('workspace-row').filter({ hasText: workspace });
  await row.getByTestId('show-invoices').click();
  const third = row.locator('[data-testid=invoice-row][data-period="3"]');
  await third.getByTestId('refund-amount').fill('49.50');
  await third.getByTestId('refund').click();
  await expect(row.getByTestId('refund-outcome')).toContainText('Recorded');
  await goto(partner, '/partners/payouts');
  await expect(partner.getByTestId('balance-available')).toHaveText('$49.50');
  await expect(partner.getByTestId('payout-blocker')).toHaveText(
    'Your balance $49.50 is below your $50.00 threshold.',
  );
  await runNow(admin);
  await goto(partner, '/partners/payouts');
  await expect(partner.getByTestId('payout-history')).toHaveCount(0);

  // One more invoice, a week later: $69.30 available crosses the threshold; the run pays it.
  await recordInvoice(admin, workspace, '99.00');
  await advanceClock(admin, 7);
  await goto(partner, '/partners/payouts');
  await expect(partner.getByTestId('balance-available')).toHaveText('$69.30');
  await expect(partner.getByTestId('next-payout-line')).toContainText('$69.30');
  await runNow(admin);
  const payoutRow = admin.getByTestId('payout-row').filter({ hasText: 'Harbor Payouts' }).first();
  await expect(payoutRow.getByTestId('payout-amount')).toHaveText('$69.30');
  await payoutRow.getByTestId('paid-reference').fill(`WIRE-${stamp}`);
  await payoutRow.getByTestId('mark-paid').click();
  await expect(payoutRow.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');

  // The partner sees the payout and downloads its statement.
  await goto(partner, '/partners/payouts');
  const history = partner.getByTestId('history-row');
  await expect(history).toHaveCount(1);
  await expect(history.first().getByTestId('history-amount')).toHaveText('$69.30');
  await expect(partner.getByTestId('paid-total')).toHaveText('$69.30');
  const [download] = await Promise.all([
    partner.waitForEvent('download'),
    history.first().getByTestId('statement-link').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^statement-.*\.csv$/);
  const statement = await partner.request.get(
    (await history.first().getByTestId('statement-link').getAttribute('href')) ?? '',
  );
  const csv = await statement.text();
  expect(csv).toContain('69.30');
  expect(csv.split('\n').filter((l) => l.includes(workspace))).toHaveLength(5);

  // A refund after the payout: the fourth invoice refunded in full takes back $19.80.
  await goto(admin, '/admin/workspaces');
  const again = admin.getByTestId('workspace-row').filter({ hasText: workspace });
  await again.getByTestId('show-invoices').click();
  const fourth = again.locator('[data-testid=invoice-row][data-period="4"]');
  await fourth.getByTestId('refund-amount').fill('99.00');
  await fourth.getByTestId('refund').click();
  await expect(again.getByTestId('refund-outcome')).toContainText('Recorded');
  await goto(partner, '/partners/payouts');
  await expect(partner.getByTestId('balance-carry-over')).toHaveText('-$19.80');
  await expect(partner.getByTestId('payout-blocker')).toContainText('clawback of $19.80');

  // Next month (sessions do not last that long: log in again), four more invoices earn
  // $79.20; the next payout is smaller by exactly the clawback: $59.40.
  await advanceClock(admin, 31);
  await logIn(admin, DEMO_ADMIN);
  for (let i = 0; i < 4; i++) await recordInvoice(admin, workspace, '99.00');
  await advanceClock(admin, 7);
  await runNow(admin);
  await logIn(partner, PAYOUTS_USER);
  await goto(partner, '/partners/payouts');
  await expect(history).toHaveCount(2);
  await expect(history.first().getByTestId('history-amount')).toHaveText('$59.40');
});
