import { expect, test } from '@playwright/test';
import { ADMINS, as, look, owner, overdueInvoice, signInApi, signInUi, uniquePhone } from './api';

/** The debtor another member reports: a valid GSTIN no other spec uses. */
const GSTIN = '29AAGCV4821K1ZX';

/** A one-page PDF, small enough for the test. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

test('a member checks a company in the registry and reports its own overdue customer with a document', async ({ page, request }) => {
  // Another business reports Venkatesh Agencies; a reviewer approves it.
  const other = await owner(request, 'Bharat Wholesale');
  const b = as(request, other.token);
  const debtor = await b.post<{ id: string }>('/v1/customers', { name: 'Venkatesh Agencies', gstin: GSTIN, address: 'Bengaluru' });
  const listed = await b.post<{ id: string }>('/v1/registry/reports', {
    customer_id: debtor.id,
    invoice_ids: [await overdueInvoice(b, debtor.id, 4_250_000, 7)],
  });
  const senior = as(request, await signInApi(request, ADMINS.senior.phone));
  await senior.post(`/v1/admin/transactions/${listed.id}/actions`, { action: 'approve', note: 'Invoice copy checked' });

  // Our member, with an overdue customer of its own.
  const me = await owner(request, 'Asha Traders');
  const a = as(request, me.token);
  const customerPhone = uniquePhone();
  const late = await a.post<{ id: string }>('/v1/customers', { name: 'Gupta Provisions', phone: customerPhone });
  await overdueInvoice(a, late.id, 1_875_000, 3);

  await page.goto('/business/registry');
  await signInUi(page, me.phone, me.phone.slice(3));
  await expect(page.getByRole('heading', { name: 'Check a company before giving credit' })).toBeVisible();
  await page.getByLabel('Name, GSTIN, PAN or phone').fill('venkatesh');
  await page.getByRole('button', { name: 'Search' }).click();
  const card = page.getByRole('list', { name: 'Companies found' }).getByRole('listitem', { name: 'Venkatesh Agencies' });
  await expect(card).toContainText('₹42,500.00');
  await expect(card.locator('div').filter({ hasText: 'Creditors reporting' }).locator('dd')).toHaveText('1');
  const grade = card.getByLabel(/^Grade [A-E]$/);
  await expect(grade).toBeVisible();
  expect(await grade.textContent()).not.toBe('A'); // a listed default lowers the rating
  await card.getByText(/^Why [A-E]/).click();
  await expect(card.getByRole('list', { name: 'Why this rating' }).getByRole('listitem').first()).toHaveText(/^[+-]?\d+ \S/);
  await look(page, 'business-registry');

  // By GSTIN, and the company's page.
  await page.getByLabel('Name, GSTIN, PAN or phone').fill(GSTIN);
  await page.getByRole('button', { name: 'Search' }).click();
  await card.getByRole('link', { name: 'Venkatesh Agencies' }).click();
  await expect(page.getByRole('heading', { name: 'Venkatesh Agencies' })).toBeVisible();
  await expect(page.getByText('₹42,500.00').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Invoices of the listing' })).toContainText('Unpaid');

  // Report Gupta Provisions: its overdue invoice, an invoice copy uploaded from the browser.
  await page.getByRole('link', { name: 'Report a default' }).click();
  await expect(page.getByRole('heading', { name: 'Report a default' })).toBeVisible();
  await expect(page.getByText('Overdue invoices of Gupta Provisions')).toBeVisible();
  await expect(page.getByText('Reported: ₹18,750.00 on 1 invoice')).toBeVisible();
  await page.getByLabel('Invoice copy').setInputFiles({ name: 'invoice-INV-0001.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByText('✓ Uploaded')).toBeVisible();
  await page.getByLabel('Note for the reviewers (optional)').fill('Three reminders sent; no answer since.');
  await look(page, 'business-report-form');
  await page.getByRole('button', { name: 'File the report' }).click();
  await expect(page.getByRole('heading', { name: 'Gupta Provisions · ₹18,750.00 unpaid' })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('Your report about Gupta Provisions is filed');
  await expect(page.locator('.page-head .chip').first()).toHaveText('Pending');
  await expect(page.getByRole('link', { name: 'Invoice copy' })).toBeVisible();
  await expect(page.getByText('(application/pdf, 1 kB)')).toBeVisible();
  const reportId = page.url().split('/').pop()!;

  // The customer disputes it; the reporter sees the dispute, asks to withdraw, and marks it paid.
  await request.post('/v1/auth/register', { data: { name: 'Ramesh Gupta', phone: customerPhone, account_type: 'customer' } });
  const customer = as(request, await signInApi(request, customerPhone));
  await customer.post(`/v1/registry/reports/${reportId}/disputes`, { reason: 'Paid half by cheque on delivery' });
  await page.reload();
  const dispute = page.getByRole('region', { name: "The company's dispute" });
  await expect(dispute).toContainText('Paid half by cheque on delivery');
  await expect(page.locator('.page-head')).toContainText('Payment Disputed');
  await look(page, 'business-report');
  // The reporter answers the dispute for the reviewers: an empty answer gets the API's error on the field.
  await dispute.getByRole('button', { name: 'Send answer' }).click();
  await expect(dispute.locator('mat-error')).toHaveText(/\S/);
  await dispute.getByLabel('Your side, for the reviewers').fill('Only half came by cheque; our ledger is attached');
  await dispute.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.getByText('Your answer is sent to the reviewers.')).toBeVisible();
  await expect(dispute).toContainText('Your answer');
  await expect(dispute).toContainText('Only half came by cheque');
  await page.getByRole('button', { name: 'Ask to withdraw' }).click();
  await page.getByRole('dialog').getByLabel('Note').fill('Settled with the customer after a call');
  await page.getByRole('dialog').getByRole('button', { name: 'Ask to withdraw' }).click();
  await expect(page.getByText('You asked to withdraw this report')).toBeVisible();
  await page.getByRole('button', { name: 'All paid' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Mark paid' }).click();
  await expect(page.getByRole('status').first()).toHaveText('Every invoice is marked paid.');
  await expect(page.locator('.page-head')).toContainText('Payment Paid');

  // My reports lists it.
  const tabs = page.getByRole('navigation', { name: 'Registry' });
  await tabs.getByRole('link', { name: 'My reports' }).click();
  await expect(page.getByRole('row', { name: /Gupta Provisions/ })).toContainText('Paid');

  // An outside invoice needs its company named: the API's errors show on the fields.
  await tabs.getByRole('link', { name: 'Report a default' }).click();
  await page.getByRole('radio', { name: 'An invoice outside Hisaab' }).click();
  await page.getByRole('button', { name: 'File the report' }).click();
  await expect(page.locator('mat-form-field').filter({ hasText: 'Company name' }).locator('mat-error')).toHaveText(/\S/);
  await expect(page.getByText('give a GSTIN, PAN or phone')).toBeVisible();
});
