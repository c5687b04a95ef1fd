import { Page, expect, test } from '@playwright/test';
import { ADMINS, accessible, as, lastOtp, look, owner, overdueInvoice, signInApi, signInUi, uniquePhone } from './api';

/** The debtor every report names: a valid GSTIN, shared by the reporters. */
const GSTIN = '27AAPFU0939F1ZV';

test('an admin reviews the registry: approve, refer, dispute, edit request, disable, audit', async ({ page, browser, request }) => {
  // Two businesses report the same debtor through the API.
  const seller = await owner(request, 'Asha Traders');
  const other = await owner(request, 'Bharat Wholesale');
  const a = as(request, seller.token);
  const b = as(request, other.token);
  const debtorPhone = uniquePhone();
  const ca = await a.post<{ id: string }>('/v1/customers', { name: 'Sharma Kirana Stores', gstin: GSTIN, phone: debtorPhone });
  const cb = await b.post<{ id: string }>('/v1/customers', { name: 'SHARMA KIRANA STORE', gstin: GSTIN });
  const report = async (api: typeof a, customerId: string, paise: number, n: number) =>
    (await api.post<{ id: string }>('/v1/registry/reports', { customer_id: customerId, invoice_ids: [await overdueInvoice(api, customerId, paise, n)] })).id;
  const toApprove = await report(a, ca.id, 12_345_600, 1);
  const toRefer = await report(a, ca.id, 5_000_000, 2);
  const toDispute = await report(a, ca.id, 2_500_000, 3);
  const toWithdraw = await report(b, cb.id, 1_000_000, 4);
  // The debtor disputes one; the other reporter asks to withdraw its own.
  await request.post('/v1/auth/register', { data: { name: 'Vikram Sharma', phone: debtorPhone, account_type: 'customer' } });
  const debtor = as(request, await signInApi(request, debtorPhone));
  await debtor.post(`/v1/registry/reports/${toDispute}/disputes`, { reason: 'Paid in cash on delivery; receipts attached later' });
  await b.post(`/v1/registry/reports/${toWithdraw}/edit-requests`, { kind: 'withdraw', reason: 'The buyer was Sharma Traders, not Sharma Kirana' });

  // Signed out, the console sends the admin to sign in, and back after.
  await page.goto('/admin/transactions');
  await expect(page).toHaveURL(/\/sign-in\?return=%2Fadmin%2Ftransactions/);
  await look(page, 'sign-in');
  await signInUi(page, ADMINS.l1.phone, ADMINS.l1.local);
  await expect(page.getByRole('heading', { name: 'Transactions' })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(5); // header and four reports
  await look(page, 'transactions');

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByText('Waiting for review')).toBeVisible();
  await look(page, 'dashboard');

  // Approve the first report, with a note.
  await page.goto(`/admin/transactions/${toApprove}`);
  await expect(page.getByRole('heading', { name: /Sharma Kirana Stores · ₹1,23,456.00/ })).toBeVisible();
  await look(page, 'transaction');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByLabel('Note (optional)').fill('Invoice copy checked');
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expect(page.locator('.page-head .chip').first()).toHaveText('Approved');
  await expect(page.locator('.entry').filter({ hasText: 'Report approve' })).toBeVisible(); // its audit trail

  // Refer the second to the senior team. A second tab still shows it
  // pending; approving there is refused by the API, and says so.
  const stale = await browser.newPage({ storageState: await page.context().storageState() });
  await stale.goto(`/admin/transactions/${toRefer}`);
  await expect(stale.getByRole('button', { name: 'Approve' })).toBeVisible();
  await page.goto(`/admin/transactions/${toRefer}`);
  await page.getByRole('button', { name: 'Refer to senior' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Refer to senior' }).click();
  await expect(page.getByText('Referred to the senior team: a senior admin decides it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await stale.getByRole('button', { name: 'Approve' }).click();
  await stale.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expect(stale.getByRole('alert')).toContainText('Not allowed: a referred report is decided by the senior team');
  await stale.close();

  // Decide the dispute (dismissed, with the required note) and grant the withdrawal.
  await page.getByRole('link', { name: 'Disputes' }).click();
  await expect(page.getByText('Paid in cash on delivery')).toBeVisible();
  await look(page, 'disputes');
  await page.getByRole('button', { name: 'Reject' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
  await expect(page.getByText('A note is required.')).toBeVisible();
  await page.getByLabel('Note').fill('No receipt was produced');
  await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
  await expect(page.getByText('No disputes with this status.')).toBeVisible();

  await page.getByRole('link', { name: 'Edit requests' }).click();
  await expect(page.getByText('The buyer was Sharma Traders')).toBeVisible();
  await look(page, 'edit-requests');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('No edit requests with this status.')).toBeVisible();

  // Disabling a business is the senior team's: L1 is not offered it.
  await page.getByRole('link', { name: 'Businesses' }).click();
  await expect(page.getByRole('cell', { name: 'Bharat Wholesale', exact: true })).toBeVisible();
  await look(page, 'businesses');
  await expect(page.getByRole('button', { name: 'Disable Bharat Wholesale' })).toHaveCount(0);

  // The other pages, once each at both widths.
  for (const [link, heading, name] of [
    ['Users', 'Users', 'users'],
    ['Wrong reports', 'Wrong reports', 'wrong-reports'],
    ['Companies', 'Companies', 'companies'],
  ] as const) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    await look(page, name);
  }
  await page.getByRole('link', { name: 'Sharma Kirana Stores', exact: true }).first().click();
  await expect(page.getByText('Why this rating')).toBeVisible();
  await look(page, 'company');

  // The audit trail of every step, each with what it changed.
  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  for (const [target, action] of [
    [toApprove, 'Report approve'],
    [toRefer, 'Report refer'],
    [toDispute, 'Dispute dismiss'],
    [toWithdraw, 'Edit request approve'],
  ]) {
    await page.getByLabel('Target id').fill(target);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.locator('.entry').filter({ hasText: action }).first(), `${action} of ${target}`).toBeVisible();
  }
  await expect(page.locator('.diff .after').first()).toBeVisible();
  await look(page, 'audit');

  // L1 sees no Employees; sign out.
  await expect(page.getByRole('link', { name: 'Employees' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
});

test('a senior decides what L1 referred and disables a business; a super admin manages employees', async ({ page, request }) => {
  const seller = await owner(request, 'Chetan Stores');
  const a = as(request, seller.token);
  const c = await a.post<{ id: string }>('/v1/customers', { name: 'Gupta Provisions', phone: uniquePhone() });
  const invoice = await overdueInvoice(a, c.id, 7_500_000, 5);
  const { id } = await a.post<{ id: string }>('/v1/registry/reports', { customer_id: c.id, invoice_ids: [invoice] });
  const l1 = as(request, await signInApi(request, ADMINS.l1.phone));
  await l1.post(`/v1/admin/transactions/${id}/actions`, { action: 'refer', note: 'Amount looks high' });

  await page.goto('/');
  await signInUi(page, ADMINS.senior.phone, ADMINS.senior.local);
  await page.goto(`/admin/transactions/${id}`);
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expect(page.locator('.page-head .chip').first()).toHaveText('Approved');

  await page.getByRole('link', { name: 'Businesses' }).click();
  await page.getByRole('button', { name: 'Disable Chetan Stores' }).click();
  await page.getByLabel('Note').fill('Reported a company it never sold to');
  await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('status')).toHaveText('Chetan Stores is disabled.');
  await expect(page.getByRole('row', { name: /Chetan Stores/ }).getByText('Disabled')).toBeVisible();
  await page.goto(`/admin/audit?target_id=${seller.businessId}`);
  await expect(page.locator('.entry').filter({ hasText: 'Business disable' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Password sign-in is offered too; admins sign in with a code here.
  await signInUi(page, ADMINS.super.phone, ADMINS.super.local);
  await page.getByRole('link', { name: 'Employees' }).click();
  await expect(page.getByRole('cell', { name: 'Lata L1', exact: true })).toBeVisible();
  await look(page, 'employees');
  await page.getByLabel('Name').fill('Ravi New');
  await page.getByLabel('Mobile number').fill('12');
  await page.getByRole('button', { name: 'Add admin' }).click();
  // The API's field error shows next to the field.
  const phoneField = page.locator('mat-form-field').filter({ hasText: 'Mobile number' });
  await expect(phoneField.locator('mat-error')).toHaveText(/\S/);
  await expect(page.getByRole('alert')).toHaveText('Please correct the fields marked in red.');
  await page.getByLabel('Mobile number').fill(uniquePhone());
  await page.getByRole('button', { name: 'Add admin' }).click();
  await expect(page.getByRole('status')).toContainText('Ravi New was added');
  await expect(page.getByRole('cell', { name: 'Ravi New', exact: true })).toBeVisible();
});

test('an expired session returns to sign-in and then to the same page', async ({ page }) => {
  await page.goto('/');
  await signInUi(page, ADMINS.l1b.phone, ADMINS.l1b.local);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // Both tokens become invalid (as after 30 days, or a sign-out elsewhere).
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('hisaab.session')!);
    s.access_token = 'expired';
    s.refresh_token = 'expired';
    localStorage.setItem('hisaab.session', JSON.stringify(s));
  });
  await page.goto('/admin/companies?q=sharma');
  await expect(page).toHaveURL(/\/sign-in\?return=%2Fadmin%2Fcompanies%3Fq%3Dsharma&expired=1/);
  await expect(page.getByText('Your session ended.')).toBeVisible();
  await signInUi(page, ADMINS.l1b.phone, ADMINS.l1b.local);
  await expect(page).toHaveURL(/\/admin\/companies\?q=sharma/);
});

test('the local server serves the app for its own paths and problem documents for the API', async ({ request }) => {
  const deep = await request.get('/admin/transactions/rpt_unknown');
  expect(deep.status()).toBe(200);
  expect(deep.headers()['content-type']).toContain('text/html');
  expect(await deep.text()).toContain('<app-root>');
  const api = await request.get('/v1/no-such-route');
  expect(api.status()).toBe(404);
  expect(api.headers()['content-type']).toContain('application/problem+json');
  const asset = await request.get('/favicon.ico');
  expect(asset.status()).toBe(200);
  expect(asset.headers()['content-type']).toContain('image/');
});

/** Presses Tab until `target` has the focus (at most 40 times). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('never reached by Tab');
}

test('the keyboard alone signs in and moves through the console', async ({ page }) => {
  await page.goto('/sign-in');
  await tabTo(page, page.getByLabel('Mobile number'));
  await page.keyboard.type(ADMINS.super.local);
  await page.keyboard.press('Enter');
  await expect(page.getByText('We sent a 6-digit code')).toBeVisible();
  await tabTo(page, page.getByLabel('Code'));
  await page.keyboard.type(await lastOtp(page.request, ADMINS.super.phone));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // The first stop is the skip link; then the sections, each opened with Enter.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await tabTo(page, page.getByRole('link', { name: 'Employees' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Employees' })).toBeVisible();
  await tabTo(page, page.getByRole('link', { name: 'Transactions' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Transactions' })).toBeVisible();
  await tabTo(page, page.getByRole('link', { name: /^Details of/ }).first());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: '‹ Transactions' })).toBeVisible();
});
