import { type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, DEMO_PARTNER_USER, waitForHydration, goto, logIn, newPage } from './helpers';

// The operator's guide (spec 000), step by step, for its three people: the platform
// admin, the partner user and the customer who registers.

const PASSWORD = 'journey password';




/** Picks the option whose text contains `text` (labels also show the price). */
async function selectByText(select: ReturnType<Page['locator']>, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value ?? '');
}

/** Registers on the current (already loaded) register page. */
async function register(page: Page, email: string) {
  await waitForHydration(page);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/register'));
}

test('referral link: partner setup → link → signup → activation → exact payout → paid', async ({ browser }) => {
  const stamp = Date.now();
  const partnerName = `Journey Partner ${stamp}`;
  const planName = `Journey Plan ${stamp}`;
  const partnerEmail = `partner-${stamp}@example.com`;
  const code = `journey${stamp}`;

  // Admin → Plans: a plan at $99.00 a month.
  const admin = await newPage(browser, { clipboard: true });
  await logIn(admin, DEMO_ADMIN);
  await goto(admin, '/admin/plans');
  await admin.locator('[data-testid=create-plan-form] input[name=name]').fill(planName);
  await admin.locator('[data-testid=create-plan-form] input[name=price]').fill('99.00');
  await admin.getByRole('button', { name: 'Create plan' }).click();
  await expect(admin.getByTestId('plans-table')).toContainText(planName);

  // Admin → Partners: create the partner with a 12.5 % default commission.
  await goto(admin, '/admin/partners');
  const form = admin.getByTestId('create-partner-form');
  await form.locator('input[name=name]').fill(partnerName);
  await form.locator('input[name=contact_email]').fill(partnerEmail);
  await form.locator('select[name=commission_kind]').selectOption('percent');
  await form.locator('input[name=commission_value]').fill('12.5');
  await admin.getByRole('button', { name: 'Create partner' }).click();
  const row = admin.getByTestId('partner-row').filter({ hasText: partnerName });
  await expect(row).toContainText('12.50%');

  // The partner's page: attach the partner user by email, and a plan rule of 20 %.
  await row.getByTestId('partner-name').click();
  await expect(admin.getByTestId('partner-header')).toContainText(partnerName);
  await waitForHydration(admin);
  await admin.locator('[data-testid=attach-user-form] input[name=email]').fill(partnerEmail);
  await admin.getByRole('button', { name: 'Attach user' }).click();
  await expect(admin.getByTestId('attach-outcome')).toContainText('Invitation saved');
  const rule = admin.getByTestId('rule-form');
  await selectByText(rule.locator('select[name=plan_id]'), planName);
  await rule.locator('select[name=kind]').selectOption('percent');
  await rule.locator('input[name=value]').fill('20');
  await admin.getByRole('button', { name: 'Save rule' }).click();
  await expect(admin.getByTestId('rule-row').filter({ hasText: planName })).toContainText('20.00%');

  // The partner user registers with the invited email and lands in the portal.
  const partner = await newPage(browser, { clipboard: true });
  await goto(partner, '/register');
  await register(partner, partnerEmail);
  await expect(partner).toHaveURL(/\/partners$/);

  // Referral Links: create a code and copy its link.
  await goto(partner, '/partners/links');
  await partner.locator('[data-testid=create-code-form] input[name=code]').fill(code);
  await partner.getByRole('button', { name: 'Create link' }).click();
  const codeRow = partner.locator(`[data-testid=code-row][data-code="${code}"]`);
  await expect(codeRow).toBeVisible();
  await codeRow.getByRole('button', { name: 'Copy' }).click();
  await expect(codeRow.getByRole('button', { name: 'Copied!' })).toBeVisible();
  const link = await partner.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`/register\\?ref=${code}$`));

  // A new visitor follows the link, registers, and creates a workspace.
  const visitor = await newPage(browser, { clipboard: true });
  await visitor.goto(link);
  // The register page names who referred the visitor.
  await expect(visitor.getByTestId('register-referrer')).toHaveText(`${partnerName} invited you to Tributary.`);
  await register(visitor, `customer-${stamp}@example.com`);
  await expect(visitor).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(visitor);
  await visitor.locator('input[name=name]').fill(`Customer ${stamp}`);
  await visitor.getByRole('button', { name: 'Create workspace' }).click();
  await expect(visitor).toHaveURL(/\/dashboard$/);

  // The partner sees the referral, registered.
  await goto(partner, '/partners/referrals');
  await expect(partner.locator('tr', { hasText: `Customer ${stamp}` })).toContainText(/registered/i);

  // Admin activates the subscription on the plan: 20 % of $99.00 = $19.80.
  await goto(admin, '/admin/workspaces');
  const ws = admin.getByTestId('workspace-row').filter({ hasText: `Customer ${stamp}` });
  await expect(ws.getByTestId('workspace-partner')).toHaveText(partnerName);
  await selectByText(ws.locator('select[name=plan_id]'), planName);
  await expect(ws.getByTestId('commission-warning')).toHaveCount(0);
  await ws.getByTestId('status-select').selectOption('ACTIVE');
  // Before saving, the row says that Active creates the partner's commission.
  await expect(ws.getByTestId('commission-warning')).toContainText(`${partnerName} earns a commission`);
  await ws.getByRole('button', { name: 'Save' }).click();
  await expect(ws.getByTestId('subscription-outcome')).toContainText('$19.80');
  // Saving again pays nothing more.
  await ws.getByRole('button', { name: 'Save' }).click();

  // The partner sees the commission with the exact amount, available (no hold).
  await goto(partner, '/partners/earnings');
  const entry = partner.locator('[data-testid=ledger-row]', { hasText: `Customer ${stamp}` });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('$19.80');
  await expect(entry).toContainText(/available/i);

  // Admin → Payouts: run payouts now, then mark this partner's payout paid.
  await goto(admin, '/admin/payouts');
  await admin.getByTestId('run-now').click();
  await expect(admin.getByTestId('run-outcome')).toContainText('Run finished');
  const payout = admin.getByTestId('payout-row').filter({ hasText: partnerName });
  await expect(payout.getByTestId('payout-amount')).toHaveText('$19.80');
  await payout.getByTestId('paid-reference').fill(`TX-${stamp}`);
  await payout.getByTestId('mark-paid').click();
  await expect(payout.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');

  // The partner sees it paid.
  await goto(partner, '/partners/earnings');
  const paidEntry = partner.locator('[data-testid=ledger-row]', { hasText: `Customer ${stamp}` });
  await expect(paidEntry.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');
  await goto(partner, '/partners/payouts');
  await expect(partner.getByTestId('paid-total')).toHaveText('$19.80');
});

test('claim link: provisioned tenant, wrong email refused, claimed once, second use explained', async ({ browser }) => {
  const stamp = Date.now();
  const workspace = `Claimed Co ${stamp}`;
  const boss = `boss-${stamp}@example.com`;

  const partner = await newPage(browser, { clipboard: true });
  await logIn(partner, DEMO_PARTNER_USER);
  await goto(partner, '/partners/tenants');
  const form = partner.getByTestId('provision-form');
  await form.locator('input[name=workspace_name]').fill(workspace);
  await selectByText(form.locator('select[name=plan_id]'), 'Growth');
  await form.locator('input[name=intended_email]').fill(boss);
  await partner.getByRole('button', { name: 'Provision tenant' }).click();
  await expect(partner.getByTestId('claim-box')).toContainText("you won't see it again");
  const link = await partner.getByTestId('claim-link').inputValue();
  expect(link).toMatch(/\/register\?tenantClaim=[0-9a-f]{64}$/);

  // Someone else opens the link: told up front whom it is reserved for, with no Claim
  // button and a way to switch account.
  const intruder = await newPage(browser, { clipboard: true });
  await intruder.goto(link);
  await register(intruder, `intruder-${stamp}@example.com`);
  await expect(intruder).toHaveURL(/\/claim$/);
  await waitForHydration(intruder);
  await expect(intruder.getByTestId('claim-wrong-account')).toContainText(workspace);
  await expect(intruder.getByTestId('claim-wrong-account')).toContainText(`b•••@example.com`);
  await expect(intruder.getByTestId('claim-submit')).toHaveCount(0);
  await expect(intruder.getByTestId('claim-switch-account')).toBeVisible();

  // The intended admin claims it and owns the workspace.
  const customer = await newPage(browser, { clipboard: true });
  await customer.goto(link);
  await register(customer, boss);
  await expect(customer).toHaveURL(/\/claim$/);
  await waitForHydration(customer);
  await customer.getByTestId('claim-submit').click();
  await expect(customer).toHaveURL(/\/dashboard$/);
  await expect(customer.getByTestId('workspace-name')).toContainText(workspace);

  // A second use of the link gets a clear page, not an error.
  const late = await newPage(browser, { clipboard: true });
  await late.goto(link);
  await register(late, `late-${stamp}@example.com`);
  await waitForHydration(late);
  await expect(late.getByTestId('claim-problem')).toHaveText('This claim link has already been used.');

  // The partner sees it claimed, attributed with the chosen plan.
  await goto(partner, '/partners/tenants');
  await expect(partner.getByTestId('tenant-row').filter({ hasText: workspace })).toContainText(/claimed/i);
  await goto(partner, '/partners/referrals');
  await expect(partner.locator('tr', { hasText: workspace })).toContainText('Growth');
});
