import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { as, daysAgo, look, owner, signInUi } from './api';

test('an owner keeps stock: opening stock, a supplier bill, an adjustment, and the ledger’s running balance', async ({
  page,
  request,
}) => {
  const me = await owner(request, 'Kaveri Provisions');
  await page.goto('/sign-in');
  await signInUi(page, me.phone, me.phone.slice(3));
  await expect(page).toHaveURL(/\/business$/);

  // A product with opening stock: 10 kg at ₹90 a kg, low at 5 kg.
  await page.getByRole('link', { name: 'Products' }).click();
  await page.getByRole('button', { name: 'Add a product' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Toor dal');
  await dialog.getByLabel('Price (₹, before tax)').fill('120');
  await dialog.getByLabel('Unit').fill('kg');
  await dialog.getByRole('switch', { name: 'Keep stock of this product' }).click();
  await dialog.getByLabel('Opening quantity').fill('10');
  await dialog.getByLabel('Opening cost (₹ per unit)').fill('90');
  await dialog.getByLabel('Low-stock threshold').fill('5');
  await look(page, 'stock-product-dialog');
  await dialog.getByRole('button', { name: 'Add product' }).click();
  await expect(page.getByRole('status')).toHaveText('Toor dal was added.');
  await expect(page.getByRole('row', { name: /Toor dal/ })).toContainText('10 kg');
  await look(page, 'stock-products');
  await page.getByRole('link', { name: 'Stock of Toor dal: 10 kg' }).click();

  await expect(page.getByRole('heading', { name: 'Toor dal' })).toBeVisible();
  const productId = /\/products\/(prd_[0-9A-Z]+)\/stock/.exec(page.url())![1];
  await expect(page.getByTestId('on-hand')).toHaveText('10 kg');
  await expect(page.getByTestId('average-cost')).toHaveText('₹90.00');
  await expect(page.getByTestId('stock-value')).toHaveText('₹900.00');

  // A bill from a new supplier, added from the receipt form: 5.5 kg at ₹100.
  await page.getByRole('link', { name: 'Record a receipt' }).click();
  await expect(page.getByRole('heading', { name: 'Record a receipt' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Product' })).toContainText('Toor dal');
  await page.getByRole('combobox', { name: 'Supplier' }).fill('Gupta Wholesale');
  await page.getByRole('option', { name: '+ Add “Gupta Wholesale” as a supplier' }).click();
  const add = page.getByRole('dialog');
  await expect(add.getByLabel('Supplier name')).toHaveValue('Gupta Wholesale');
  await add.getByLabel('Phone (optional)').fill('9812345670');
  await add.getByRole('button', { name: 'Add supplier' }).click();
  await expect(add).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Supplier' })).toHaveValue('Gupta Wholesale');
  await page.getByLabel('Bill number').fill('GW-101');
  await page.getByLabel('Bill date').fill(daysAgo(-1));
  await page.getByLabel('Quantity').fill('5.5');
  await page.getByLabel('Unit cost (₹)').fill('100');
  await expect(page.getByTestId('line-amount-0')).toHaveText('₹550.00');
  await expect(page.getByTestId('receipt-total')).toHaveText('₹550.00');
  await page.getByRole('button', { name: 'Record receipt' }).click();
  await expect(page.getByText('a bill dated today or earlier')).toBeVisible(); // the API's 422 on the field
  await page.getByLabel('Bill date').fill(daysAgo(0));
  await look(page, 'stock-receipt-form');
  await page.getByRole('button', { name: 'Record receipt' }).click();

  await expect(page.getByRole('status')).toContainText(
    'Bill GW-101 of Gupta Wholesale was recorded',
  );
  await expect(page.getByTestId('receipt-total')).toHaveText('₹550.00');
  await expect(page.getByRole('row', { name: /Toor dal/ })).toContainText('₹93.55'); // the average after
  await look(page, 'stock-receipt');

  // On hand and the average cost moved: (₹900 + ₹550) / 15.5 kg.
  await page.getByRole('link', { name: 'Toor dal' }).click();
  await expect(page.getByTestId('on-hand')).toHaveText('15.5 kg');
  await expect(page.getByTestId('average-cost')).toHaveText('₹93.55');

  // 1.25 kg damaged: out with the reason.
  await page.getByRole('button', { name: 'Adjust stock' }).click();
  const adjust = page.getByRole('dialog');
  await adjust.getByLabel('Quantity').fill('1.25');
  await expect(adjust.getByText('On hand after: 14.25 kg')).toBeVisible();
  await adjust.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(adjust.getByText('Say why the stock changes.')).toBeVisible();
  await adjust.getByLabel('Reason').fill('Damaged in the rain');
  await look(page, 'stock-adjust');
  await adjust.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Adjustment of −1.25 kg recorded: 14.25 kg on hand.',
  );
  await expect(page.getByTestId('on-hand')).toHaveText('14.25 kg');

  // The ledger, oldest first, with the running balance after each movement.
  const rows = page.getByRole('table', { name: 'Stock movements' }).getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText('Opening stock');
  await expect(rows.nth(1)).toContainText('+10');
  await expect(rows.nth(2)).toContainText('Purchase');
  await expect(rows.nth(2)).toContainText('Bill GW-101 Gupta Wholesale');
  await expect(rows.nth(2).getByRole('cell').nth(5)).toHaveText('15.5');
  await expect(rows.nth(3)).toContainText('Adjustment');
  await expect(rows.nth(3)).toContainText('Damaged in the rain');
  await expect(rows.nth(3)).toContainText('−1.25');
  await expect(rows.nth(3).getByRole('cell').nth(5)).toHaveText('14.25');
  await expect(rows.nth(3).getByRole('cell').nth(7)).toHaveText('₹1,333.06');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.trim().split('\n')).toHaveLength(4);
  expect(csv).toContain('Damaged in the rain');
  await look(page, 'stock-product');

  // The stock on hand: the business's total value.
  await page.getByRole('link', { name: 'Stock on hand' }).click();
  await expect(page.getByTestId('stock-total')).toHaveText('₹1,333.06');
  await expect(page.getByTestId('low-count')).toHaveText('0');
  await expect(page.getByRole('row', { name: /Toor dal/ })).toContainText('14.25 kg');
  await look(page, 'stock-on-hand');
  await page.getByRole('link', { name: 'Valuation' }).click();
  await expect(page.getByTestId('valuation-total')).toHaveText('₹1,333.06');
  await page.getByRole('link', { name: 'Suppliers' }).click();
  await expect(page.getByRole('row', { name: /Gupta Wholesale/ })).toContainText('₹550.00');
  await look(page, 'stock-suppliers');
  await page
    .getByRole('row', { name: /Gupta Wholesale/ })
    .getByRole('link', { name: '1' })
    .click();
  await expect(page.getByText('Receipts from Gupta Wholesale')).toBeVisible();
  await expect(page.getByRole('row', { name: /GW-101/ })).toContainText('₹550.00');
  await look(page, 'stock-receipts');

  // Selling 20 kg of the 14.25 kg on hand (the default `warn` policy): issued with a warning, and the
  // owner sees the line's cost and margin.
  const api = as(request, me.token);
  const customer = await api.post<{ id: string }>('/v1/customers', {
    name: 'Sharma Kirana Stores',
  });
  const draft = await api.post<{ id: string }>('/v1/invoices', {
    customer_id: customer.id,
    draft: true,
    lines: [{ product_id: productId, quantity: 20 }],
  });
  await page.goto(`/business/invoices/${draft.id}`);
  await page.getByRole('button', { name: 'Issue' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Issue' }).click();
  await expect(page.getByRole('alert')).toContainText('Sold beyond stock on hand.');
  await expect(page.getByRole('alert')).toContainText('Toor dal');
  await expect(page.getByRole('columnheader', { name: 'Margin' })).toBeVisible();
  await expect(page.getByTestId('cost-of-goods')).not.toHaveText('₹0.00');
  await look(page, 'stock-invoice');

  // The dashboard shows the stock's value and the period's margin, and links to the low-stock list.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const stock = page.getByRole('region', { name: 'Stock and margin of the period' });
  await expect(stock).toContainText('Gross margin');
  await expect(stock.getByRole('link', { name: /Low on stock 1/ })).toBeVisible();
  await look(page, 'stock-dashboard');

  // Under the `refuse` policy, taking out more than is on hand is refused on the quantity.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Negative stock' }).click();
  await page.getByRole('option', { name: 'Refuse' }).click();
  await expect(
    page.getByText('An invoice or adjustment that would take on hand below zero'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  expect((await api.get('/v1/business/settings')).negative_stock).toBe('refuse');
  const before = await api.get<{ on_hand: string }>(`/v1/products/${productId}`);
  expect(before.on_hand).toBe('-5.75'); // 14.25 kg less the 20 sold
  await page.goto(`/business/products/${productId}/stock`);
  await page.getByRole('button', { name: 'Adjust stock' }).click();
  const refused = page.getByRole('dialog');
  await refused.getByLabel('Quantity').fill('1');
  await refused.getByLabel('Reason').fill('Count on the shelf');
  await refused.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(refused).toContainText('of Toor dal on hand'); // the API's 422 on the quantity
});
