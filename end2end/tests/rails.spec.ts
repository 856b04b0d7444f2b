import { type Browser, type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, waitForHydration, goto, logIn, newPage } from './helpers';

// Payout rails (issue #12) against the built-in fake Stripe and fake PayPal that the
// e2e server starts (demo mode, no keys): one partner connects Stripe on the fake's
// onboarding page and comes back enabled, another chooses PayPal and gives its email
// (a bad one is refused first); the admin runs payouts once and both are paid, each
// with its rail's reference, which both partners see.

const PASSWORD = 'journey password';




async function register(page: Page, path: string, email: string) {
  await goto(page, path);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/register'));
}

/** A server function called as the admin (setup steps the other journeys click through). */
async function call(admin: Page, endpoint: string, form: Record<string, string>) {
  const r = await admin.request.post(`/api/${endpoint}`, { form });
  expect(r.ok(), `${endpoint}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

/**
 * A partner at 20 % with a signed-in partner user and a referred customer the admin
 * activates on the plan ($100.00 → a $20.00 commission, no hold).
 */
async function earningPartner(browser: Browser, admin: Page, plan: string, name: string): Promise<Page> {
  const code = name.toLowerCase();
  const userEmail = `${code}@example.com`;
  const id: string = await call(admin, 'create_partner', {
    name,
    contact_email: userEmail,
    commission_kind: 'percent',
    commission_value: '20',
  });
  await call(admin, 'attach_partner_user', { partner_id: id, email: userEmail });
  const partner = await newPage(browser);
  await register(partner, '/register', userEmail);
  await expect(partner).toHaveURL(/\/partners$/);

  const customer = await newPage(browser);
  await register(customer, `/register?ref=${code}`, `customer-${code}@example.com`);
  await expect(customer).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(customer);
  await customer.locator('input[name=name]').fill(`${name} Customer`);
  await customer.getByRole('button', { name: 'Create workspace' }).click();
  await expect(customer).toHaveURL(/\/dashboard$/);

  await goto(admin, '/admin/workspaces');
  const ws = admin.getByTestId('workspace-row').filter({ hasText: `${name} Customer` });
  await ws.locator('select[name=plan_id]').selectOption(plan);
  await ws.getByTestId('status-select').selectOption('ACTIVE');
  await ws.getByRole('button', { name: 'Save' }).click();
  await expect(ws.getByTestId('subscription-outcome')).toContainText('$20.00');
  return partner;
}

test('rails: Stripe onboarding and a PayPal email, one run pays both with their references', async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const admin = await newPage(browser);
  await logIn(admin, DEMO_ADMIN);
  const plan: { id: string } = await call(admin, 'create_plan', { name: `Rails Plan ${stamp}`, price: '100.00' });

  const striper = await earningPartner(browser, admin, plan.id, `Striper${stamp}`);
  const paypaler = await earningPartner(browser, admin, plan.id, `Paypaler${stamp}`);

  // Stripe: Connect → the fake's onboarding page → back on Payouts, ready.
  await goto(striper, '/partners/payouts');
  await expect(striper.getByTestId('stripe-connect')).toBeVisible();
  await striper.getByTestId('connect-stripe').click();
  await expect(striper.getByRole('heading', { name: 'Fake Stripe onboarding' })).toBeVisible();
  await striper.getByRole('button', { name: 'Complete onboarding' }).click();
  await striper.waitForURL(/\/partners\/payouts\?stripe=return$/);
  await waitForHydration(striper);
  await expect(striper.getByTestId('stripe-state')).toContainText('Ready for payouts');

  // PayPal: a bad email is refused with the reason; a good one is saved.
  await goto(paypaler, '/partners/settings');
  const form = paypaler.getByTestId('payout-form');
  await form.getByTestId('payout-method').selectOption('paypal');
  // (`a@nodomain` passes the browser's type=email check; the server wants a full domain.)
  await form.locator('input[name=paypal_email]').fill('paid@nodomain');
  await form.getByTestId('save-payout').click();
  await expect(form).toContainText('Add a full domain after the @');
  await form.locator('input[name=paypal_email]').fill(`paid-${stamp}@payee.example`);
  await form.getByTestId('save-payout').click();
  await expect(form.getByTestId('payout-saved')).toBeVisible();

  // One run; the rails dispatch right after it.
  await goto(admin, '/admin/payouts');
  await admin.getByTestId('run-now').click();
  await expect(admin.getByTestId('run-outcome')).toContainText('Run finished');
  await goto(admin, '/admin/payouts');
  const stripeRow = admin.getByTestId('payout-row').filter({ hasText: `Striper${stamp}` }).first();
  const paypalRow = admin.getByTestId('payout-row').filter({ hasText: `Paypaler${stamp}` }).first();
  await expect(stripeRow.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');
  await expect(paypalRow.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');
  await expect(stripeRow.getByTestId('payout-amount')).toHaveText('$20.00');
  await expect(stripeRow.getByTestId('stripe-transfer-link')).toHaveAttribute(
    'href',
    /^https:\/\/dashboard\.stripe\.com\/test\/connect\/transfers\/tr_/,
  );
  await expect(paypalRow.getByTestId('paypal-batch')).toContainText('PayPal batch PB');
  await expect(admin.getByTestId('needs-reconcile')).toHaveCount(0);

  // Both partners see the payout paid with its reference.
  await goto(striper, '/partners/payouts');
  const stripePaid = striper.getByTestId('history-row').first();
  await expect(stripePaid.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');
  await expect(stripePaid).toContainText(/tr_\w+/);
  await expect(stripePaid.getByTestId('history-amount')).toHaveText('$20.00');
  await goto(paypaler, '/partners/payouts');
  const paypalPaid = paypaler.getByTestId('history-row').first();
  await expect(paypalPaid.getByTestId('status-pill')).toHaveAttribute('data-status', 'paid');
  await expect(paypalPaid).toContainText(/PI\d+/);
  await expect(paypalPaid.getByTestId('history-amount')).toHaveText('$20.00');
});
