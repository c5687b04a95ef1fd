import { Page, expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { as, look, owner, signInUi } from './api';

/** Valid GSTINs (checksum verified by the API), both in Maharashtra (27): CGST + SGST. */
const BUSINESS_GSTIN = '27AABCA1234B1ZH';
const CUSTOMER_GSTIN = '27AAGFS5678M1ZD';

/** `₹12,34,567.00` as the PDF prints it (Indian grouping, no symbol). */
const bare = (text: string) => text.replace('₹', '').trim();

/** The rupee figure shown in the `data-testid` cell `id`. */
async function figure(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(id).first().textContent())?.trim() ?? '';
}

/** Paise as the app shows them. */
const rupees = (paise: number) =>
  new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', minimumFractionDigits: 2 }).format(paise / 100);

test('an owner sets up billing, issues a GST invoice that matches the API and the PDF, and takes a part payment', async ({
  page,
  request,
}) => {
  const me = await owner(request, 'Asha Traders');
  const api = as(request, me.token);
  // A customer in the same state, who already owes ₹1,000 on an earlier invoice.
  const customer = await api.post<{ id: string }>('/v1/customers', {
    name: 'Sharma Kirana Stores',
    gstin: CUSTOMER_GSTIN,
    phone: '+919812345678',
  });
  await api.post('/v1/invoices', {
    customer_id: customer.id,
    lines: [{ description: 'Opening balance', quantity: 1, unit_price: 100_000, tax_rate_bp: 0 }],
  });

  await page.goto('/sign-in');
  await signInUi(page, me.phone, me.phone.slice(3));
  await expect(page).toHaveURL(/\/business$/);

  // Catalogue: a category, then a product in it.
  await page.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('heading', { name: 'Products' })).toBeVisible();
  await page.getByRole('link', { name: 'Categories' }).click();
  await page.getByLabel('New category').fill('Grains');
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByRole('status')).toHaveText('Grains was added.');
  await page.getByLabel('New category').fill('grains');
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByText('already used')).toBeVisible(); // the API's 409 on the field
  await page.getByRole('link', { name: '‹ Products' }).click();
  await page.getByRole('button', { name: 'Add a product' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Basmati rice');
  await dialog.getByLabel('Price (₹, before tax)').fill('123.45');
  await dialog.getByLabel('Unit').fill('kg');
  await dialog.getByLabel('HSN/SAC code').fill('10');
  await dialog.getByRole('combobox', { name: 'GST rate' }).click();
  await page.getByRole('option', { name: '5 %', exact: true }).click();
  await dialog.getByRole('combobox', { name: 'Category' }).click();
  await page.getByRole('option', { name: 'Grains' }).click();
  await dialog.getByRole('button', { name: 'Add product' }).click();
  await expect(dialog.getByText('an HSN or SAC code of 4, 6 or 8 digits')).toBeVisible(); // the API's own rule
  await dialog.getByLabel('HSN/SAC code').fill('1006');
  await dialog.getByRole('button', { name: 'Add product' }).click();
  await expect(page.getByRole('status')).toHaveText('Basmati rice was added.');
  const row = page.getByRole('row', { name: /Basmati rice/ });
  await expect(row).toContainText('Grains');
  await expect(row).toContainText('₹123.45 / kg');
  await expect(row).toContainText('5 %');
  await look(page, 'billing-products');

  // Settings: the API's field errors, then the GSTIN, UPI ID and prefix saved.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByLabel('Invoice number prefix')).toHaveValue('INV-');
  await page.getByLabel('GSTIN').fill('27AABCA1234B1ZX');
  await page.getByLabel('UPI ID').fill('asha');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('the check character does not match')).toBeVisible();
  await expect(page.getByText('a UPI ID such as asha@okaxis')).toBeVisible();
  await page.getByLabel('GSTIN').fill(BUSINESS_GSTIN);
  await page.getByLabel('UPI ID').fill('asha@okaxis');
  await page.getByLabel('Invoice number prefix').fill('AT/');
  await expect(page.getByText('Next invoice: AT/0002')).toBeVisible(); // the opening invoice took 1
  await expect(page.getByText('State 27 · Maharashtra')).toBeVisible();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
  const settings = await api.get<{ gstin: string; upi_vpa: string; invoice_prefix: string }>('/v1/business/settings');
  expect(settings).toMatchObject({ gstin: BUSINESS_GSTIN, upi_vpa: 'asha@okaxis', invoice_prefix: 'AT/' });
  await look(page, 'billing-settings');

  // The billing form: the customer by search, one catalogue line and two free lines (one discounted).
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.getByRole('link', { name: 'New invoice' }).click();
  await page.getByRole('combobox', { name: 'Customer' }).fill('Sharma');
  await page.getByRole('option', { name: /Sharma Kirana Stores/ }).click();
  await expect(page.getByText(`GSTIN ${CUSTOMER_GSTIN}`)).toBeVisible();
  await expect(page.getByText('Previous balance ₹1,000.00')).toBeVisible();

  await page.getByRole('combobox', { name: 'Add from catalogue' }).fill('Bas');
  await page.getByRole('option', { name: /Basmati rice/ }).click();
  const line1 = page.getByRole('listitem', { name: 'Line 1' });
  await expect(line1.getByLabel('Description')).toHaveValue('Basmati rice');
  await line1.getByLabel('Quantity').fill('2.5');

  await page.getByRole('button', { name: 'Add a free line' }).click();
  const line2 = page.getByRole('listitem', { name: 'Line 2' });
  await line2.getByLabel('Description').fill('Loading and transport');
  await line2.getByLabel('HSN/SAC').fill('996511');
  await line2.getByLabel('Price (₹)').fill('500.01');
  await line2.getByLabel('Discount', { exact: true }).fill('10');
  await line2.getByRole('combobox', { name: 'GST' }).click();
  await page.getByRole('option', { name: '18 %', exact: true }).click();

  await page.getByRole('button', { name: 'Add a free line' }).click();
  const line3 = page.getByRole('listitem', { name: 'Line 3' });
  await line3.getByLabel('Description').fill('Jute bags');
  await line3.getByLabel('Quantity').fill('0.333');
  await line3.getByLabel('Unit').fill('bundle');
  await line3.getByLabel('Price (₹)').fill('999.99');
  await line3.getByRole('combobox', { name: 'GST' }).click();
  await page.getByRole('option', { name: '12 %', exact: true }).click();
  await expect(page.getByLabel('Amount of line 1')).toHaveText('₹324.07'); // 2.5 × 123.45 = 308.625 → 308.63, + 2 × 7.72 (7.71575 each)
  await expect(page.getByText('Intra-state: CGST + SGST')).toBeVisible();

  // The same lines as a draft through the API: its figures are the screen's.
  const lines = [
    { product_id: (await api.get<{ items: { id: string }[] }>('/v1/products?q=Bas')).items[0].id, quantity: '2.5' },
    {
      description: 'Loading and transport',
      hsn_sac: '996511',
      quantity: '1',
      unit_price: 50_001,
      discount_rate_bp: 1000,
      tax_rate_bp: 1800,
    },
    { description: 'Jute bags', unit: 'bundle', quantity: '0.333', unit_price: 99_999, tax_rate_bp: 1200 },
  ];
  type Figures = Record<
    'subtotal' | 'discount_total' | 'taxable_total' | 'cgst_total' | 'sgst_total' | 'igst_total' | 'total',
    number
  >;
  const draft = await api.post<Figures>('/v1/invoices', { customer_id: customer.id, draft: true, lines });
  expect(draft.igst_total).toBe(0);
  const screen = {
    subtotal: await figure(page, 'subtotal'),
    discount: await figure(page, 'discount'),
    taxable: await figure(page, 'taxable'),
    cgst: await figure(page, 'cgst'),
    sgst: await figure(page, 'sgst'),
    total: await figure(page, 'total'),
  };
  expect(screen).toEqual({
    subtotal: rupees(draft.subtotal),
    discount: `−${rupees(draft.discount_total)}`,
    taxable: rupees(draft.taxable_total),
    cgst: rupees(draft.cgst_total),
    sgst: rupees(draft.sgst_total),
    total: rupees(draft.total),
  });
  await expect(page.getByTestId('previous-balance')).toHaveText('₹1,000.00');
  await expect(page.getByTestId('balance-after')).toHaveText(rupees(100_000 + draft.total));
  await look(page, 'billing-form');

  // Issue it (a double click bills once: the same Idempotency-Key, and the button is disabled).
  await page.getByRole('button', { name: 'Issue invoice' }).dblclick();
  await expect(page).toHaveURL(/\/business\/invoices\/inv_/);
  await expect(page.getByRole('status')).toHaveText('Invoice AT/0002 was issued.');
  const invoiceId = page.url().split('/').pop()!;
  const issued = await api.get<Figures & { number: string; previous_balance: number; balance_due: number }>(
    `/v1/invoices/${invoiceId}`,
  );
  expect(issued.total).toBe(draft.total);
  expect(issued.previous_balance).toBe(100_000);
  await expect(page.getByTestId('status')).toHaveText('Unpaid');
  await expect(page.getByTestId('total')).toHaveText(screen.total);
  await expect(page.getByTestId('cgst')).toHaveText(screen.cgst);
  await expect(page.getByTestId('previous-balance')).toHaveText('₹1,000.00');
  const open = await api.get<{ items: { number: string | null }[] }>(
    `/v1/invoices?customer_id=${customer.id}&status=unpaid`,
  );
  expect(open.items.map((i) => i.number).sort()).toEqual(['AT/0002', 'INV-0001']); // one issued invoice, not two

  // The PDF has the same grand total (its text is not compressed).
  const link = await api.get<{ url: string }>(`/v1/invoices/${invoiceId}/pdf`);
  const pdf = (await (await page.request.get(link.url)).body()).toString('latin1');
  expect(pdf).toContain('%PDF');
  expect(pdf).toContain(`(${bare(screen.total)}) Tj`);
  expect(pdf).toContain('(AT/0002) Tj');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PDF' }).click();
  expect((await download).suggestedFilename()).toBe('AT-0002.pdf');
  expect(
    readFileSync(await (await download).path())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');

  // A part payment: the balance due falls and the status says so.
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByLabel('Amount (₹)')).toHaveValue(
    bare(screen.total)
      .replace(/,/g, '')
      .replace(/\.?0+$/, ''),
  );
  await page.getByLabel('Amount (₹)').fill('500');
  await page.getByLabel('Reference (UTR, cheque no.)').fill('UTR 432198765012');
  await page.getByRole('button', { name: 'Save payment' }).click();
  const left = issued.total - 50_000;
  await expect(page.getByRole('status')).toHaveText(`A payment of ₹500.00 was recorded. ${rupees(left)} is still due.`);
  await expect(page.getByTestId('balance-due')).toHaveText(rupees(left));
  await expect(page.getByTestId('paid')).toHaveText('₹500.00');
  await expect(page.getByTestId('status')).toHaveText('Partially paid');
  await expect(page.getByRole('row', { name: /UTR 432198765012/ })).toContainText('Recorded');
  await expect(page.getByText('Payment recorded · ₹500.00 by Upi')).toBeVisible();
  await look(page, 'billing-invoice');

  // The list, filtered by status in the address as the dashboard links it, and its CSV.
  await page.goto('/business/invoices?status=partially_paid');
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row', { name: /AT\/0002/ })).toContainText(rupees(left));
  await page.getByRole('link', { name: 'Overdue' }).click();
  await expect(page).toHaveURL(/status=overdue/);
  await expect(page.getByText('No invoice matches these filters.')).toBeVisible();
  await page.goto(`/business/invoices?customer_id=${customer.id}`);
  await expect(page.getByRole('combobox', { name: 'Customer' })).toHaveValue('Sharma Kirana Stores');
  await expect(page.getByRole('row')).toHaveCount(4); // the opening invoice, the draft and AT/0002
  await page.getByLabel('Invoice number').fill('2');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=2/);
  await expect(page.getByRole('row')).toHaveCount(2);
  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csvText = readFileSync(await (await csv).path(), 'utf8');
  expect(csvText.split('\n')[0]).toContain('number,invoice_date');
  expect(csvText).toContain('AT/0002');
  expect(csvText).not.toContain('INV-0001');
  await page.goto('/business/invoices');
  await look(page, 'billing-invoices');

  // The dashboard shows the part payment as received (the API's figure too).
  const dashboard = await api.get<{ received: number }>('/v1/reports/dashboard');
  expect(dashboard.received).toBe(50_000);
  await page.goto('/business');
  await expect(page.getByRole('link', { name: /Received\s*₹500\.00/ })).toBeVisible();

  // Voiding the payment (a reason is required) puts the amount due again.
  await page.goto(`/business/invoices/${invoiceId}`);
  await page.getByRole('button', { name: /Void the payment of ₹500.00/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Void payment' }).click();
  await expect(page.getByText('A note is required.')).toBeVisible();
  await page.getByLabel('Note').fill('Cheque bounced');
  await page.getByRole('dialog').getByRole('button', { name: 'Void payment' }).click();
  await expect(page.getByRole('status')).toHaveText('The payment of ₹500.00 was voided.');
  await expect(page.getByTestId('balance-due')).toHaveText(screen.total);
  await expect(page.getByTestId('status')).toHaveText('Unpaid');
});

test('an owner edits and issues a draft, cancels an invoice, and manages staff', async ({ page, request }) => {
  const me = await owner(request, 'Bharat Wholesale');
  const api = as(request, me.token);
  const customer = await api.post<{ id: string }>('/v1/customers', { name: 'Gupta General Store' });
  const draft = await api.post<{ id: string }>('/v1/invoices', {
    customer_id: customer.id,
    draft: true,
    lines: [{ description: 'Sugar', unit: 'kg', quantity: '10', unit_price: 4500, tax_rate_bp: 500 }],
  });

  await page.goto('/sign-in');
  await signInUi(page, me.phone, me.phone.slice(3));
  await expect(page).toHaveURL(/\/business$/);

  // Edit the draft: a discount in rupees, then issue it from the form.
  await page.goto(`/business/invoices/${draft.id}`);
  await expect(page.getByRole('heading', { name: 'Draft invoice · Gupta General Store' })).toBeVisible();
  await expect(page.getByText('Payments are recorded once the invoice is issued.')).toBeVisible();
  await page.getByRole('link', { name: 'Edit' }).click();
  const line = page.getByRole('listitem', { name: 'Line 1' });
  await expect(line.getByLabel('Description')).toHaveValue('Sugar');
  await expect(line.getByLabel('Price (₹)')).toHaveValue('45');
  await line.getByLabel('Quantity').fill('12.5');
  await line.getByLabel('Discount', { exact: true }).fill('2.50');
  await line.getByRole('combobox', { name: 'Discount of line 1 in' }).click();
  await page.getByRole('option', { name: '₹' }).click();
  await line.getByLabel('Quantity').fill('1.2345');
  await expect(line.getByText('More than 0, at most 3 decimals')).toBeVisible();
  await line.getByLabel('Quantity').fill('12.5');
  // 12.5 × 45 = 562.50, − 2.50 = 560.00, + 2.5 % + 2.5 % = 588.00 (without the business's GSTIN: intra-state)
  await expect(page.getByTestId('total')).toHaveText('₹588.00');
  await page.getByRole('button', { name: 'Issue invoice' }).click();
  await expect(page).toHaveURL(new RegExp(`/business/invoices/${draft.id}$`));
  await expect(page.getByRole('status')).toHaveText('Invoice INV-0001 was issued.');
  const issued = await api.get<{ total: number; discount_total: number; number: string }>(`/v1/invoices/${draft.id}`);
  expect(issued).toMatchObject({ total: 58_800, discount_total: 250, number: 'INV-0001' });

  // A second draft is deleted outright (drafts have no number to keep).
  const spare = await api.post<{ id: string }>('/v1/invoices', {
    customer_id: customer.id,
    draft: true,
    lines: [{ description: 'Rice', quantity: 1, unit_price: 100, tax_rate_bp: 0 }],
  });
  await page.goto(`/business/invoices/${spare.id}`);
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete draft' }).click();
  await expect(page).toHaveURL(/\/business\/invoices$/);
  await expect(page.getByRole('status')).toHaveText('The draft for Gupta General Store was deleted.');
  expect(
    (await request.get(`/v1/invoices/${spare.id}`, { headers: { Authorization: `Bearer ${me.token}` } })).status(),
  ).toBe(404);
  await page.getByRole('link', { name: 'INV-0001' }).click();

  // Cancel the issued one, with a reason.
  await page.getByRole('button', { name: 'Cancel invoice' }).click();
  await page.getByLabel('Note (optional)').fill('Billed to the wrong shop');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel invoice' }).click();
  await expect(page.getByRole('status')).toHaveText('The invoice was cancelled.');
  await expect(page.getByTestId('status')).toHaveText('Cancelled');
  await expect(page.getByTestId('balance-due')).toHaveText('₹0.00');
  await expect(page.getByText('Billed to the wrong shop').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record payment' })).toHaveCount(0);

  // Staff: add one (the API's phone rule shown on the field), then remove them.
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(page.getByRole('row', { name: /Bharat Wholesale owner/ })).toContainText('Owner');
  await page.getByRole('button', { name: 'Add staff' }).click();
  await page.getByLabel('Name').fill('Ravi Kumar');
  await page.getByLabel('Mobile number').fill('98765');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText('without a country code a number must have 10 digits')).toBeVisible();
  const staffPhone = `9${me.phone.slice(-9)}`;
  await page.getByLabel('Mobile number').fill(staffPhone);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Ravi Kumar was added.');
  await look(page, 'billing-staff');
  await page.getByRole('button', { name: 'Remove Ravi Kumar' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status')).toHaveText('Ravi Kumar was removed.');
  await expect(page.getByRole('row')).toHaveCount(2);

  // A new invoice for a given customer (as the customer's page links it).
  await page.goto(`/business/invoices/new?customer_id=${customer.id}`);
  await expect(page.getByRole('combobox', { name: 'Customer' })).toHaveValue('Gupta General Store');
  await expect(page.getByText('Previous balance ₹0.00')).toBeVisible(); // the cancelled invoice left the balance
});
