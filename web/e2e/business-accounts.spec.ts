import { Page, expect, test } from '@playwright/test';
import { as, daysAgo, lastOtp, look, uniquePhone } from './api';

/** A valid GSTIN (checksum correct), and the same with a typo in its check character. */
const GSTIN = '27AAPFU0939F1ZV';
const GSTIN_TYPO = '27AAPFU0939F1ZX';

/** The access token the app keeps for the signed-in user. */
async function tokenOf(page: Page): Promise<string> {
  return page.evaluate(
    () => JSON.parse(localStorage.getItem('hisaab.session') ?? '{}').access_token as string,
  );
}

/** The newest mail to `to` in the local outbox. */
async function lastMail(page: Page, to: string): Promise<{ subject: string; body: string }> {
  const outbox = await (await page.request.get('/_local/outbox')).json();
  const mail = (
    outbox.messages as { channel: string; to: string; subject?: string; body: string }[]
  )
    .filter((m) => m.channel === 'email' && m.to === to)
    .at(-1);
  expect(mail, `a mail to ${to}`).toBeTruthy();
  return { subject: mail!.subject ?? '', body: mail!.body };
}

test('a business signs up, sees its dashboard, adds a customer and deactivates and reactivates it', async ({
  page,
}) => {
  const phone = uniquePhone();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your Hisaab account' })).toBeVisible();
  await page.getByLabel('Business name').fill('Annapurna Dairy');
  await page.getByLabel('Your name').fill('Ravi Kumar');
  await page.getByLabel('Mobile number').fill(phone.slice(3));
  await look(page, 'business-sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('We sent a 6-digit code to')).toBeVisible();
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(page.getByRole('alert')).toContainText('That code did not work');
  await page.getByLabel('Code').fill(await lastOtp(page.request, phone));
  await page.getByRole('button', { name: 'Verify and continue' }).click();

  // A new business: an empty dashboard that says how to start.
  await expect(page).toHaveURL(/\/business$/);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Nothing billed in this period')).toBeVisible();
  await expect(page.locator('.figure-card.revenue .amount')).toHaveText('₹0.00');

  // A customer with a typo in its GSTIN: the API's message shows as it is typed.
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(page.getByText('No customers yet.')).toBeVisible();
  await page.getByRole('link', { name: 'Add a customer' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Sharma Sweets');
  await page.getByLabel('Mobile number').fill('98220');
  await page.getByLabel('GSTIN').fill(GSTIN_TYPO);
  await expect(
    page.getByText('the check character does not match: the GSTIN has a typo'),
  ).toBeVisible();
  await expect(page.getByText(/without a country code a number must have 10 digits/)).toBeVisible();
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByRole('alert')).toHaveText('Please correct the fields marked in red.');
  await expect(page).toHaveURL(/\/customers\/new$/);
  await page.getByLabel('GSTIN').fill(GSTIN);
  await page.getByLabel('Mobile number').fill('9822011223');
  await expect(page.getByText('the GSTIN has a typo')).toHaveCount(0);
  await page.getByRole('button', { name: 'Add a contact' }).click();
  await page.getByLabel('Contact 1 name').fill('Mohan Sharma');
  await page.getByLabel('Contact 1 role').fill('Accounts');
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByRole('status')).toHaveText('Sharma Sweets was added.');
  await expect(page.getByRole('heading', { name: 'Sharma Sweets' })).toBeVisible();
  await expect(page.getByText('AAPFU0939F', { exact: true })).toBeVisible(); // the PAN, taken from the GSTIN
  const customerId = page.url().split('/').at(-1)!;

  // Some business through the API: an overdue invoice, one of this week and a payment.
  const api = as(page.request, await tokenOf(page));
  const other = await api.post<{ id: string }>('/v1/customers', { name: 'Verma Tea Stall' });
  const invoice = (customer: string, date: number, due: number, paise: number, what: string) =>
    api.post('/v1/invoices', {
      customer_id: customer,
      invoice_date: daysAgo(date),
      due_date: daysAgo(due),
      lines: [{ description: what, quantity: 1, unit_price: paise, tax_rate_bp: 0 }],
    });
  await invoice(customerId, 45, 30, 1_250_000, 'Milk, October'); // ₹12,500, 30 days overdue
  await invoice(customerId, 5, -10, 830_000, 'Paneer, 20 kg'); // ₹8,300, due in 10 days
  await invoice(other.id, 20, 5, 240_000, 'Milk, 60 litres'); // ₹2,400, 5 days overdue
  await api.post(`/v1/customers/${customerId}/payments`, {
    amount: 500_000,
    method: 'upi',
    reference: 'UTR 4471',
  }); // ₹5,000

  // The customer's page: balance, invoices, payments.
  await page.reload();
  await expect(page.locator('.balance .amount')).toHaveText('₹15,800.00');
  await expect(page.getByText('owes you')).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Invoices of this customer' }).getByRole('row'),
  ).toHaveCount(3);
  const oldest = page
    .getByRole('table', { name: 'Invoices of this customer' })
    .getByRole('row')
    .nth(2); // newest first
  await expect(oldest).toContainText('₹12,500.00');
  await expect(oldest).toContainText('₹7,500.00'); // the payment went to the oldest invoice
  await expect(oldest).toContainText('Overdue');
  await look(page, 'business-customer');
  await page.getByRole('tab', { name: 'Payments' }).click();
  await expect(page.getByRole('table', { name: 'Payments of this customer' })).toContainText(
    '₹5,000.00',
  );
  await expect(page.getByRole('table', { name: 'Payments of this customer' })).toContainText(
    'UTR 4471',
  );
  await page.getByRole('tab', { name: 'Deliveries' }).click();
  await expect(page.getByText(/No deliveries recorded for this customer in/)).toBeVisible();

  // Deactivate, then reactivate.
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('dialog')).toContainText('They still owe you ₹15,800.00');
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('status')).toHaveText('Sharma Sweets is deactivated.');
  await expect(page.locator('.page-head .chip')).toHaveText('Deactivated');
  await expect(page.getByRole('link', { name: 'New invoice' })).toHaveCount(0);
  await page.getByRole('link', { name: '‹ Customers' }).click();
  await expect(page.getByRole('link', { name: 'Verma Tea Stall', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sharma Sweets', exact: true })).toHaveCount(0); // active ones only
  await page.getByLabel('Show').click();
  await page.getByRole('option', { name: 'Deactivated' }).click();
  await expect(page).toHaveURL(/status=inactive/);
  await page.getByRole('link', { name: 'Sharma Sweets', exact: true }).click();
  await page.getByRole('button', { name: 'Reactivate' }).click();
  await expect(page.getByRole('status')).toHaveText('Sharma Sweets is active again.');
  await expect(page.locator('.page-head .chip')).toHaveText('Active');

  // The list: search as you type.
  await page.getByRole('link', { name: '‹ Customers' }).click();
  await page.getByLabel('Name or phone').fill('shar');
  await expect(page).toHaveURL(/q=shar/);
  await expect(page.getByRole('link', { name: 'Verma Tea Stall', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Sharma Sweets', exact: true })).toBeVisible();
  await page.getByLabel('Name or phone').fill('');
  await expect(page.getByRole('link', { name: 'Verma Tea Stall', exact: true })).toBeVisible();
  await look(page, 'business-customers');

  // The dashboard over the last 3 months: the figures, their invoices, the charts' data.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('combobox', { name: 'Period' }).click();
  await page.getByRole('option', { name: 'Last 3 months' }).click();
  await expect(page).toHaveURL(/range=last_3_months/);
  await expect(page.locator('.figure-card.revenue .amount')).toHaveText('₹23,200.00');
  await expect(page.locator('.figure-card.received .amount')).toHaveText('₹5,000.00');
  await expect(page.locator('.figure-card.pending .amount')).toHaveText('₹18,200.00');
  await expect(page.locator('.figure-card.overdue .amount')).toHaveText('₹9,900.00');
  await expect(page.locator('.figure-card.overdue')).toHaveAttribute(
    'href',
    /\/business\/invoices\?status=overdue&from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}$/,
  );
  const debtors = page.getByRole('table', { name: 'Customers who owe the most' });
  await expect(debtors.getByRole('row').nth(1)).toContainText('Sharma Sweets');
  await expect(debtors.getByRole('row').nth(1)).toContainText('₹15,800.00');
  const aging = page.getByRole('table', { name: 'Aging of what is owed' });
  await expect(aging.getByRole('row', { name: /1-30 days/ })).toContainText('₹9,900.00');
  await expect(aging.getByRole('row', { name: /Not yet due/ })).toContainText('₹8,300.00');
  await expect(aging.getByRole('link', { name: '1-30 days' })).toHaveAttribute(
    'href',
    /status=overdue&due_from=.*&due_to=/,
  );
  await expect(
    page
      .getByRole('table', { name: 'Invoices of the period by status' })
      .getByRole('row', { name: /Overdue/ }),
  ).toContainText('2');
  await expect(page.locator('canvas')).toHaveCount(2);
  await look(page, 'business-dashboard');

  // A custom range the API would refuse is explained, not sent.
  await page.getByRole('combobox', { name: 'Period' }).click();
  await page.getByRole('option', { name: 'Custom dates' }).click();
  await page.getByLabel('First day').fill('2026-02-10');
  await page.getByLabel('Last day').fill('2026-01-05');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('alert')).toContainText('The first day is after the last day.');

  // A top debtor leads to their page.
  await page.getByRole('combobox', { name: 'Period' }).click();
  await page.getByRole('option', { name: 'This financial year' }).click();
  await page
    .getByRole('table', { name: 'Customers who owe the most' })
    .getByRole('link', { name: 'Verma Tea Stall', exact: true })
    .click();
  await expect(page.getByRole('heading', { name: 'Verma Tea Stall' })).toBeVisible();
  await expect(page.locator('.balance .amount')).toHaveText('₹2,400.00');
  await expect(page.getByRole('link', { name: 'New invoice' })).toHaveAttribute(
    'href',
    `/business/invoices/new?customer_id=${other.id}`,
  );

  // Edit it: a bad email is refused on the field by the API.
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Verma Tea Stall');
  await page.getByLabel('Email').fill('verma@');
  await expect(page.locator('mat-error')).toContainText(/email/i);
  await page.getByLabel('Email').fill('verma.tea@example.com');
  await page.getByLabel('Kind of business').fill('Tea stall');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Verma Tea Stall was saved.');
  await expect(page.getByText('verma.tea@example.com')).toBeVisible();
});

test('a customer signs up and sets a password on the profile page', async ({ page }) => {
  const phone = uniquePhone();
  await page.goto('/sign-up?as=customer');
  await expect(page.getByRole('radio', { name: 'I am a customer' })).toBeChecked();
  await expect(page.getByLabel('Business name')).toHaveCount(0);
  await page.getByLabel('Your name').fill('Meena Iyer');
  await page.getByLabel('Mobile number').fill(phone);
  await page.getByLabel('Email (optional)').fill('meena-at-example');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('mat-error')).toContainText(/email/i); // the API's message on the field
  await page.getByLabel('Email (optional)').fill('');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Code').fill(await lastOtp(page.request, phone));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(page).toHaveURL(/\/customer$/);

  // Signing up again with the same number says to sign in.
  const other = await page
    .context()
    .browser()!
    .newPage({ baseURL: new URL(page.url()).origin });
  await other.goto('/sign-up');
  await other.getByRole('radio', { name: 'I am a customer' }).click();
  await other.getByLabel('Your name').fill('Meena again');
  await other.getByLabel('Mobile number').fill(phone);
  await other.getByRole('button', { name: 'Create account' }).click();
  await expect(other.getByText('This number already has an account.')).toBeVisible();
  await other.close();

  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Set a password' })).toBeVisible();
  await page.getByLabel('Name').fill('Meena S. Iyer');
  await page.getByLabel('Email').fill('meena@example.com');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();
  await expect(page.locator('mat-toolbar')).toContainText('Meena S. Iyer'); // the session's user, updated
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('a password has 8 to 128 characters')).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('filter coffee at six');
  await page.getByLabel('New password again').fill('filter coffee at six');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('Your password is set')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await look(page, 'customer-profile');
});

test('a forgotten password is reset through the mailed link', async ({ page, request }) => {
  const phone = uniquePhone();
  const email = `owner${phone.slice(-8)}@example.com`;
  const registered = await request.post('/v1/auth/register', {
    data: {
      name: 'Farid Khan',
      phone,
      account_type: 'business',
      business_name: 'Khan Hardware',
      email,
    },
  });
  expect(registered.ok()).toBeTruthy();

  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email on your account').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(
    page.getByText(`If an account has ${email}, a reset link is on its way.`),
  ).toBeVisible();

  const mail = await lastMail(page, email);
  expect(mail.subject).toBe('Reset your Hisaab password');
  const token = /\/reset-password\?token=([\w-]+)/.exec(mail.body)?.[1];
  expect(token, 'the link in the mail').toBeTruthy();

  // A wrong token says so and offers a new link.
  await page.goto('/reset-password?token=not-a-real-token');
  await page.getByLabel('New password', { exact: true }).fill('iron nails and brass');
  await page.getByLabel('New password again').fill('iron nails and brass');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('This reset link does not work.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute(
    'href',
    '/sign-in?forgot=1',
  );

  await page.goto(`/reset-password?token=${token}`);
  await page.getByLabel('New password', { exact: true }).fill('iron nails and brass');
  await page.getByLabel('New password again').fill('iron nails and copper');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('The two passwords differ.')).toBeVisible();
  await page.getByLabel('New password again').fill('iron nails and brass');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1/);
  await expect(page.getByText('Your new password is set. Sign in with it.')).toBeVisible();

  // The new password signs in (a business owner: no code needed).
  await page.getByRole('radio', { name: 'Password' }).click();
  await page.getByLabel('Mobile number').fill(phone.slice(3));
  await page.getByLabel('Password').fill('iron nails and brass');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/business$/);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // The link works once.
  await page.goto(`/reset-password?token=${token}`);
  await page.getByLabel('New password', { exact: true }).fill('another long password');
  await page.getByLabel('New password again').fill('another long password');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('This reset link does not work.')).toBeVisible();
});
