import { type Page } from '@playwright/test';
import { test, expect, DEMO_ADMIN, waitForHydration, goto, logIn, newPage } from './helpers';

// Invite codes and credits (issue 9): the admin mints and emails a beta code, a new visitor
// follows its link into a workspace with credits; a workspace owner's personal code is
// redeemed by a friend; a used-up code says so.

const PASSWORD = 'journey password';




/** From an invite landing: register, create the workspace, land on the dashboard. */
async function acceptInvite(page: Page, email: string, workspace: string) {
  await page.getByTestId('invite-register').click();
  await page.waitForURL(/\/register/);
  await waitForHydration(page);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(page);
  await expect(page.getByTestId('carried-invite')).toBeVisible();
  await page.locator('input[name=name]').fill(workspace);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test('admin mints and emails a beta code; the visitor it reaches gets the credits', async ({ browser }) => {
  const stamp = Date.now();
  const visitorEmail = `beta-${stamp}@example.com`;

  const admin = await newPage(browser, { clipboard: true });
  await logIn(admin, DEMO_ADMIN);
  await goto(admin, '/admin/invite-codes');
  const form = admin.getByTestId('mint-form');
  await form.getByTestId('mint-flavor').selectOption('beta');
  await form.getByTestId('mint-max-uses').fill('1');
  await form.getByTestId('mint-metadata').fill(`campaign = journey ${stamp}`);
  await form.getByTestId('mint-emails').fill(visitorEmail);
  await form.getByTestId('mint-submit').click();
  await expect(admin.getByTestId('minted-summary')).toContainText('1 message(s) queued');
  const code = (await admin.getByTestId('minted-code').first().textContent())!.trim();
  expect(code).toMatch(/^BETA-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  const row = admin.locator(`[data-testid=code-row][data-code="${code}"]`);
  await expect(row.getByTestId('code-metadata')).toContainText(`journey ${stamp}`);

  // The demo has no SMTP server: the Outbox shows the message, delivered to a file.
  // Searched by its recipient through the list's own form, so the URL keeps the view.
  await goto(admin, '/admin/outbox');
  await admin.getByTestId('list-search').fill(visitorEmail);
  await admin.getByRole('button', { name: 'Apply' }).click();
  await expect(admin).toHaveURL(/\/admin\/outbox\?q=/);
  await waitForHydration(admin);
  const message = admin.locator(`[data-testid=outbox-row][data-to="${visitorEmail}"]`);
  await expect(async () => {
    await admin.getByTestId('outbox-refresh').click();
    await expect(message.getByTestId('status-pill')).toHaveAttribute('data-status', 'delivered', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await message.locator('summary').click();
  const body = (await message.getByTestId('outbox-body').textContent()) ?? '';
  expect(body).toContain(code);
  const link = body.split('\n').find((l) => l.includes('/invite/'))!.trim();

  // The visitor follows the emailed link: the beta landing, then register and a workspace.
  const visitor = await newPage(browser, { clipboard: true });
  await goto(visitor, new URL(link).pathname);
  await expect(visitor.getByTestId('invite-headline')).toHaveText("You're invited to the Tributary beta");
  await expect(visitor.getByTestId('invite-gift')).toContainText('2,000 credits');
  await acceptInvite(visitor, visitorEmail, `Beta Co ${stamp}`);
  await expect(visitor.getByTestId('credit-balance')).toHaveText('2,000 credits');
  await expect(visitor.getByTestId('credit-entry').first()).toContainText('Invite code');

  // The admin sees the redemption under the code.
  await goto(admin, `/admin/invite-codes?q=${code}`);
  await expect(admin.getByTestId('list-search')).toHaveValue(code);
  await expect(admin.getByTestId('code-row')).toHaveCount(1);
  await admin.locator(`[data-testid=code-row][data-code="${code}"]`).getByTestId('show-redemptions').click();
  await expect(admin.getByTestId('redemption')).toContainText(`Beta Co ${stamp}`);
});

test('a personal code brings a friend; the owner sees the progress and the credits; a used-up code says so', async ({ browser }) => {
  const stamp = Date.now();
  const owner = await newPage(browser, { clipboard: true });
  await goto(owner, '/register');
  await owner.locator('input[name=email]').fill(`owner-${stamp}@example.com`);
  await owner.locator('input[name=password]').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Create account' }).click();
  await expect(owner).toHaveURL(/\/onboarding\/workspace$/);
  await waitForHydration(owner);
  await owner.locator('input[name=name]').fill(`Owner Co ${stamp}`);
  await owner.getByRole('button', { name: 'Create workspace' }).click();
  await expect(owner).toHaveURL(/\/dashboard$/);
  await waitForHydration(owner);

  const create = owner.getByTestId('personal-code-form');
  await create.locator('input[name=max_uses]').fill('1');
  await create.locator('input[name=credits]').fill('300');
  await create.getByRole('button', { name: 'Create code' }).click();
  await expect(owner.getByTestId('personal-code-created')).toBeVisible();
  const card = owner.getByTestId('personal-code').first();
  const code = (await card.getByTestId('personal-code-value').textContent())!.trim();
  expect(code).toMatch(/^FRIEND-/);
  await card.getByRole('button', { name: 'Copy' }).first().click();
  await expect(card.getByRole('button', { name: 'Copied!' })).toBeVisible();
  expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(code);
  const link = await card.getByTestId('personal-code-link').inputValue();

  const friend = await newPage(browser, { clipboard: true });
  await goto(friend, new URL(link).pathname);
  await expect(friend.getByTestId('invite-headline')).toHaveText(`Owner Co ${stamp} invited you to Tributary`);
  await acceptInvite(friend, `friend-${stamp}@example.com`, `Friend Co ${stamp}`);
  await expect(friend.getByTestId('credit-balance')).toHaveText('300 credits');

  await goto(owner, '/dashboard');
  await expect(owner.getByTestId('invitee')).toHaveAttribute('data-stage', 'workspace');
  await expect(owner.getByTestId('invitee')).toContainText(`Friend Co ${stamp}`);
  await expect(owner.getByTestId('credit-balance')).toHaveText('500 credits');
  await expect(owner.getByTestId('personal-code-uses').first()).toHaveText('1 used, 0 left');

  // The code is used up: the next visitor is told so, and can still register without it.
  const late = await newPage(browser, { clipboard: true });
  await goto(late, `/invite/${code}`);
  await expect(late.getByTestId('invite-problem')).toHaveText(
    'This invite code has been used as many times as it allows.',
  );
});
