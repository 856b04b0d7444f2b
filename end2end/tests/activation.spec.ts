import { type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, waitForHydration, goto, logIn, newPage } from './helpers';

// Activation by partner invite (issues 9 and 10, DOMAIN decision 9): the admin mints a
// partner invite carrying a 25 % commission; a customer with a workspace redeems it, lands
// in the partner portal as an agency and creates two sub-accounts; a second partner invite
// changes nothing and says so.

const PASSWORD = 'activation password';




async function mintPartnerInvite(admin: Page, metadata: string): Promise<string> {
  await goto(admin, '/admin/invite-codes');
  const form = admin.getByTestId('mint-form');
  await form.getByTestId('mint-flavor').selectOption('partner');
  await form.getByTestId('mint-max-uses').fill('1');
  await form.getByTestId('mint-metadata').fill(metadata);
  await form.getByTestId('mint-submit').click();
  const code = (await admin.getByTestId('minted-code').first().textContent())!.trim();
  expect(code).toMatch(/^PARTNER-/);
  return code;
}

test('a customer redeems a partner invite, becomes an agency and creates two sub-accounts', async ({ browser }) => {
  const stamp = Date.now();
  const admin = await newPage(browser);
  await logIn(admin, DEMO_ADMIN);
  const code = await mintPartnerInvite(admin, 'commission_kind = percent\ncommission_value = 25');

  // A customer with a workspace of its own.
  const customer = await newPage(browser);
  await goto(customer, '/register');
  await customer.locator('input[name=email]').fill(`agency-${stamp}@example.com`);
  await customer.locator('input[name=password]').fill(PASSWORD);
  await customer.getByRole('button', { name: 'Create account' }).click();
  await expect(customer).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(customer);
  await customer.locator('input[name=name]').fill(`Agency ${stamp}`);
  await customer.getByRole('button', { name: 'Create workspace' }).click();
  await expect(customer).toHaveURL(/\/dashboard$/);

  // The partner invite's landing, then redeeming it for that workspace.
  await goto(customer, `/invite/${code}`);
  await expect(customer.getByTestId('invite-flavor')).toHaveAttribute('data-flavor', 'partner');
  await customer.getByTestId('invite-redeem').click();
  await expect(customer.getByTestId('invite-redeemed')).toContainText('now a partner agency');
  await customer.getByTestId('invite-next').click();
  await expect(customer).toHaveURL(/\/partners$/);
  await waitForHydration(customer);

  // As an agency: two sub-accounts, each listed.
  await goto(customer, '/partners/sub-accounts');
  for (const client of [`Client A ${stamp}`, `Client B ${stamp}`]) {
    await customer.getByTestId('sub-account-name').fill(client);
    await customer.getByTestId('sub-account-create').click();
    await expect(customer.getByTestId('sub-account').filter({ hasText: client })).toBeVisible();
  }
  await expect(customer.getByTestId('sub-account')).toHaveCount(2);

  // The admin sees the new partner, approved, at the invite's 25 %.
  await goto(admin, '/admin/partners');
  await expect(admin.getByText(`Agency ${stamp}`).first()).toBeVisible();

  // A second partner invite: already a partner, nothing changes.
  const second = await mintPartnerInvite(admin, '');
  await goto(customer, `/invite/${second}`);
  await customer.getByTestId('invite-redeem').click();
  await expect(customer.getByRole('alert')).toContainText("You're already set up as a partner");
  await goto(customer, '/partners/sub-accounts');
  await expect(customer.getByTestId('sub-account')).toHaveCount(2);
});
