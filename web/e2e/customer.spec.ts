import { APIRequestContext, expect, test } from '@playwright/test';
import { as, daysAgo, lastOtp, look, owner, signInUi, uniquePhone } from './api';

/** Today in India (the businesses' time zone), `yyyy-mm-dd`. */
function todayInIndia(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
}

/** The first day of last month, and its `yyyy-mm`. */
function lastMonth(): { first: string; month: string; label: string } {
  const [y, m] = todayInIndia().split('-').map(Number);
  const index = y * 12 + (m - 1) - 1;
  const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  const label = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
  return { first: `${month}-01`, month, label };
}

async function patch(request: APIRequestContext, token: string, path: string, data: unknown) {
  const response = await request.patch(path, { data, headers: { Authorization: `Bearer ${token}` } });
  expect(response.ok(), `${path} → ${response.status()} ${await response.text()}`).toBeTruthy();
}

test('a customer sees a vendor and the balance, confirms an order change, corrects a day, opens the invoice PDF and disputes a report', async ({
  page,
  request,
}) => {
  // A dairy has the customer (by phone) with a daily order since last month.
  const dairy = await owner(request, 'Gopal Dairy');
  const biz = as(request, dairy.token);
  const phone = uniquePhone();
  const customer = await biz.post<{ id: string }>('/v1/customers', { name: 'Anita Rao', phone });
  const last = lastMonth();
  const order = await biz.post<{ id: string }>('/v1/orders', {
    customer_id: customer.id,
    item: 'Cow milk',
    unit: 'litre',
    quantity: '1.5',
    rate: 6000,
    valid_from: last.first,
  });
  // Last month: 8 days delivered and 2 skipped, then billed: 8 × 1.5 litre × ₹60 = ₹720.
  for (let day = 1; day <= 10; day++) {
    const date = `${last.month}-${String(day).padStart(2, '0')}`;
    await biz.post(`/v1/orders/${order.id}/deliveries`, { date, status: day === 4 || day === 9 ? 'skipped' : 'delivered' });
  }
  const today = todayInIndia();
  await biz.post(`/v1/orders/${order.id}/deliveries`, { date: today, status: 'delivered' });
  const settled = await biz.post<{ invoice: { id: string; number: string } }>(`/v1/customers/${customer.id}/months/${last.month}/settle`, {});
  // They paid ₹200 of it.
  await biz.post(`/v1/customers/${customer.id}/payments`, { amount: 20000, date: daysAgo(0), method: 'upi', reference: 'UTR 0912345678' });

  // The customer signs up; then the dairy asks to raise the quantity to 2 litres.
  const register = await request.post('/v1/auth/register', { data: { name: 'Anita Rao', phone, account_type: 'customer' } });
  expect(register.ok()).toBeTruthy();
  const verified = await request.post('/v1/auth/otp/verify', { data: { phone, code: await lastOtp(request, phone) } });
  expect(verified.ok()).toBeTruthy();
  await patch(request, dairy.token, `/v1/orders/${order.id}`, { quantity: '2' });

  // Signing in leads to the vendors, with what is owed.
  await page.goto('/sign-in');
  await signInUi(page, phone, phone.slice(3));
  await expect(page).toHaveURL(/\/customer$/);
  await expect(page.getByRole('heading', { name: 'My vendors' })).toBeVisible();
  const vendor = page.getByRole('link', { name: /Gopal Dairy/ });
  await expect(vendor).toContainText('You owe');
  await expect(vendor).toContainText('₹520.00');
  await expect(page.getByTestId('total-you-owe')).toHaveText('₹520.00');
  await expect(page.getByRole('status')).toContainText('An order change waits for your confirmation.');
  await look(page, 'customer-vendors');

  // The order change: what changes, confirmed.
  await page.getByRole('link', { name: 'Review it' }).click();
  await expect(page.getByRole('heading', { name: 'Orders', exact: true })).toBeVisible();
  const change = page.getByRole('table', { name: 'Change asked to Cow milk' });
  await expect(change.getByRole('row', { name: /Quantity/ })).toContainText('1.5 litre');
  await expect(change.getByRole('row', { name: /Quantity/ })).toContainText('2 litre');
  await look(page, 'customer-orders');
  await page.getByRole('button', { name: 'Confirm the change to Cow milk' }).click();
  await expect(page.getByRole('status')).toContainText('You confirmed the change to Cow milk');
  await expect(page.getByText('Nothing waits for you')).toBeVisible();
  await expect(page.locator(`li[data-order="${order.id}"]`).last()).toContainText('2 litre at ₹60.00 per litre, every day');
  const confirmed = await biz.get<{ quantity: string; pending_change: unknown }>(`/v1/orders/${order.id}`);
  expect(confirmed.quantity).toBe('2');
  expect(confirmed.pending_change ?? null).toBeNull();

  // This month: today's record is corrected, with the reason the API asks for.
  await page.getByRole('link', { name: 'My vendors' }).click();
  await page.getByRole('link', { name: /Gopal Dairy/ }).click();
  await expect(page.getByRole('heading', { name: 'Gopal Dairy' })).toBeVisible();
  await expect(page.getByTestId('vendor-balance')).toHaveText('You owe ₹520.00');
  const day = page.locator(`tr[data-date="${today}"]`);
  await expect(day).toContainText('1.5 litre');
  await day.getByRole('button', { name: /^Correct/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Quantity (litre)').fill('1');
  await dialog.getByRole('button', { name: 'Save correction' }).click();
  await expect(dialog.locator('mat-error')).toHaveText('say why the record is wrong');
  await dialog.getByLabel('Reason').fill('Only one litre came today');
  await dialog.getByRole('button', { name: 'Save correction' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(day).toContainText('Corrected by you (1.5 litre → 1 litre): Only one litre came today');
  await expect(page.getByTestId('month-amount')).toHaveText('₹60.00');

  // A comment on the day.
  await day.getByRole('button', { name: /^Comments/ }).click();
  await expect(dialog.getByText('No comments yet.')).toBeVisible();
  await dialog.getByLabel('Your comment').fill('Please ring the bell');
  await dialog.getByRole('button', { name: 'Add comment' }).click();
  await expect(dialog.getByRole('list', { name: 'Comments' })).toContainText('Please ring the bell');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Last month: billed, its totals, and the invoice PDF.
  await page.getByRole('button', { name: 'Previous month' }).click();
  await expect(page.getByRole('heading', { name: last.label })).toBeVisible();
  await expect(page.getByText('Billed', { exact: true })).toBeVisible();
  await expect(page.getByTestId('month-amount')).toHaveText('₹720.00');
  await expect(page.getByRole('table', { name: 'Deliveries day by day' }).getByRole('row')).toHaveCount(11);
  await expect(page.getByRole('button', { name: /^Correct/ })).toHaveCount(0);
  const invoices = page.getByRole('table', { name: 'Invoices' });
  await expect(invoices.getByRole('row', { name: new RegExp(settled.invoice.number) })).toContainText('₹520.00');
  await expect(page.getByRole('table', { name: 'Payments' })).toContainText('UPI · UTR 0912345678');
  await look(page, 'customer-month');
  const [pdf] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Invoice PDF' }).click()]);
  await pdf.waitForURL(/\.pdf/);
  const file = await request.get(pdf.url());
  expect(file.headers()['content-type']).toContain('application/pdf');
  await pdf.close();

  // The invoice itself.
  await page.getByRole('link', { name: `Invoice ${settled.invoice.number}` }).click();
  await expect(page.getByRole('heading', { name: `Invoice ${settled.invoice.number}` })).toBeVisible();
  await expect(page.getByTestId('invoice-balance-due')).toHaveText('₹520.00');
  await look(page, 'customer-invoice');

  // The dairy reports an overdue invoice to the registry; the customer finds it listed, opens it by its number and disputes it.
  const overdue = await biz.post<{ id: string }>('/v1/invoices', {
    customer_id: customer.id,
    invoice_date: daysAgo(60),
    due_date: daysAgo(30),
    lines: [{ description: 'Ghee, 1 kg', quantity: 1, unit_price: 65000, tax_rate_bp: 0 }],
  });
  const report = await biz.post<{ id: string }>('/v1/registry/reports', { customer_id: customer.id, invoice_ids: [overdue.id] });
  await page.getByRole('link', { name: 'Reports about me' }).click();
  // Listed without the SMS; opened here by the number in it.
  await expect(page.getByRole('link', { name: 'Gopal Dairy · ₹650.00' })).toBeVisible();
  const sms = (await (await request.get('/_local/outbox')).json()).messages.filter(
    (m: { to: string; body: string }) => m.to === phone && m.body.includes(report.id),
  );
  expect(sms.length).toBe(1);
  await page.getByLabel('Report number').fill(sms[0].body);
  await page.getByRole('button', { name: 'Open report' }).click();
  await expect(page.getByRole('heading', { name: 'Gopal Dairy reported ₹650.00' })).toBeVisible();
  await page.getByLabel('Why the report is wrong').fill('Paid in cash on delivery; the receipt is attached');
  await page.getByLabel('Ledger statement or payment proof').setInputFiles({
    name: 'receipt.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% receipt\n'),
  });
  await page.getByRole('button', { name: 'Send dispute' }).click();
  await expect(page.getByText('Your dispute is sent.')).toBeVisible();
  await expect(page.getByText('Being reviewed')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ledger statement' })).toBeVisible();
  await look(page, 'customer-report');
  await page.getByRole('link', { name: '‹ Reports about me' }).click();
  await expect(page.getByRole('link', { name: 'Gopal Dairy · ₹650.00' })).toBeVisible();
});

test('a customer requests an on-demand order from a vendor', async ({ page, request }) => {
  const shop = await owner(request, 'Ravi Sweets');
  const biz = as(request, shop.token);
  const phone = uniquePhone();
  await biz.post('/v1/customers', { name: 'Meena Iyer', phone });
  await request.post('/v1/auth/register', { data: { name: 'Meena Iyer', phone, account_type: 'customer' } });
  await page.goto('/sign-in');
  await signInUi(page, phone, phone.slice(3));
  await expect(page.getByRole('link', { name: /Ravi Sweets/ })).toContainText('All settled');

  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByRole('button', { name: 'Request an order' }).click();
  // The API's own validation shows next to the fields.
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('mat-form-field').filter({ hasText: 'Quantity' }).locator('mat-error')).toHaveText(/\S/);
  await page.getByLabel('Item').fill('Kaju katli');
  await page.getByLabel('Quantity').fill('0.5');
  await page.getByLabel('Unit (optional)').fill('kg');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('status')).toContainText('Requested Kaju katli from Ravi Sweets');
  const card = page.locator('li.order').filter({ hasText: 'Kaju katli' });
  await expect(card).toContainText('Requested');
  await expect(card).toContainText('Waiting for Ravi Sweets to accept it.');
  const orders = await biz.get<{ items: { item: string; status: string; type: string }[] }>('/v1/orders?status=requested');
  expect(orders.items.map((o) => `${o.item} ${o.type} ${o.status}`)).toEqual(['Kaju katli on_demand requested']);
});
