import { Page, expect, test } from '@playwright/test';
import { as, daysAgo, look, owner, signInUi } from './api';

/** The dairy's customers, one daily order each. */
const NAMES = [
  'Aarti Deshpande', 'Bhavna Kulkarni', 'Chetan Joshi', 'Deepa Nair', 'Eshan Patil', 'Farida Shaikh', 'Gaurav Mehta',
  'Harini Iyer', 'Imran Khan', 'Jyoti Pawar', 'Kavita Rao', 'Lalit Bhosale', 'Manoj Gupta', 'Neha Sawant', 'Omkar Jadhav',
  'Pooja Shinde', 'Rahul Verma', 'Sneha Gokhale', 'Tanvir Ali', 'Usha Menon',
];
const RATE = 6000; // ₹60.00 a litre

/** Today in India (the business's time zone), `yyyy-mm-dd`. */
function istToday(): string {
  return daysAgo(0);
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function inr(paise: number): string {
  return new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', minimumFractionDigits: 2 }).format(paise / 100);
}

/** The row of one customer in the round. */
function row(page: Page, name: string) {
  return page.getByRole('list', { name: 'Orders due' }).getByRole('listitem', { name });
}

test('a dairy marks its morning round in one submit, corrects a day, settles a month and opens the invoice', async ({ page, request }) => {
  const dairy = await owner(request, 'Gokul Dairy');
  const api = as(request, dairy.token);
  const today = istToday();
  const month = today.slice(0, 7);
  const last = previousMonth(month);
  const quantities = NAMES.map((_, i) => (i % 2 === 0 ? 1 : 2));
  const orders: string[] = [];
  const customers: string[] = [];
  for (const [i, name] of NAMES.entries()) {
    const c = await api.post<{ id: string }>('/v1/customers', { name, phone: `+9198200${String(10000 + i).slice(-5)}` });
    const o = await api.post<{ id: string; status: string }>('/v1/orders', {
      customer_id: c.id,
      item: 'Cow milk',
      unit: 'litre',
      quantity: String(quantities[i]),
      rate: RATE,
      valid_from: `${last}-01`,
    });
    expect(o.status).toBe('active');
    customers.push(c.id);
    orders.push(o.id);
  }
  // Last month's round of the first customer: 6 days of 1 litre (one of them 2.5), a skipped day.
  for (const [day, mark] of [
    ['01', {}], ['02', {}], ['03', {}], ['04', {}], ['05', { quantity: '2.5' }], ['06', { status: 'skipped' }], ['07', {}],
  ] as const) {
    const out = await api.post<{ marked: number }>('/v1/deliveries/bulk', { date: `${last}-${day}`, items: [{ order_id: orders[0], ...mark }] });
    expect(out.marked).toBe(1);
  }

  await page.goto('/business/deliveries');
  await signInUi(page, dairy.phone, dairy.phone.slice(3));
  await expect(page.getByRole('heading', { name: /^Round of/ })).toBeVisible();
  await expect(row(page, NAMES[0])).toBeVisible();
  await expect(page.getByRole('list', { name: 'Orders due' }).getByRole('listitem')).toHaveCount(20);

  // Three skipped, one with 3 litres instead of 2.
  for (const i of [2, 6, 11]) await row(page, NAMES[i]).getByRole('radio', { name: 'Skipped' }).click();
  await row(page, NAMES[5]).getByLabel(`Quantity for ${NAMES[5]} in litre`).fill('3');
  const summary = page.getByRole('region', { name: 'The round in figures' });
  await expect(summary).toContainText('17 to deliver');
  await expect(summary).toContainText('3 to skip');
  await expect(summary).toContainText('1 changed');
  await page.getByRole('heading', { name: /^Round of/ }).scrollIntoViewIfNeeded();
  await look(page, 'business-round');

  // Meanwhile a helper marked one customer from another phone.
  await api.post('/v1/deliveries/bulk', { date: today, items: [{ order_id: orders[19] }] });

  const bulkCalls: Promise<{ results: unknown[] }>[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().endsWith('/v1/deliveries/bulk')) bulkCalls.push(r.json());
  });
  await page.getByRole('button', { name: 'Save 20 marks' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('19 saved, 1 already marked by someone else.');
  expect(bulkCalls).toHaveLength(1);
  expect((await bulkCalls[0]).results).toHaveLength(20);
  await expect(row(page, NAMES[5])).toContainText('✓ Saved: 3 litre');
  await expect(row(page, NAMES[2])).toContainText('✓ Saved: skipped');
  await expect(row(page, NAMES[1])).toContainText('✓ Saved: 2 litre');
  await expect(row(page, NAMES[19])).toContainText('Already marked from another phone');
  await expect(page.getByRole('button', { name: 'All marked' })).toBeDisabled();

  // What the API holds, and what the page shows when opened again.
  const day = await api.get<{ items: { order_id: string; status: string; quantity: string }[] }>(`/v1/deliveries?date=${today}&limit=500`);
  expect(day.items).toHaveLength(20);
  expect(day.items.filter((d) => d.status === 'skipped')).toHaveLength(3);
  expect(day.items.find((d) => d.order_id === orders[5])?.quantity).toBe('3');
  await page.reload();
  await expect(row(page, NAMES[5]).getByText('Delivered 3 litre')).toBeVisible();
  await expect(row(page, NAMES[6]).getByText('Skipped', { exact: true })).toBeVisible();
  await expect(summary).toContainText('20 marked');

  // The business's month so far.
  await page.getByRole('link', { name: 'Month', exact: true }).click();
  await expect(page.getByRole('heading', { name: `Deliveries in ${monthLabel(month)}` })).toBeVisible();
  const figures = page.getByRole('region', { name: 'The month in figures' });
  const delivered = quantities.map((q, i) => ([2, 6, 11].includes(i) ? 0 : i === 5 ? 3 : q)).reduce((a, b) => a + b, 0);
  await expect(figures).toContainText(inr(delivered * RATE));
  await expect(figures).toContainText(`${delivered} litre`);
  await expect(figures.getByText('17', { exact: true })).toBeVisible();
  await look(page, 'business-deliveries-month');

  // The first customer's month grid, from the round; then last month.
  await page.goto('/business/deliveries');
  await row(page, NAMES[0]).getByRole('link', { name: NAMES[0] }).click();
  await expect(page.getByRole('heading', { name: `${NAMES[0]} · ${monthLabel(month)}` })).toBeVisible();
  await page.getByRole('link', { name: 'Previous month' }).click();
  await expect(page.getByRole('heading', { name: `${NAMES[0]} · ${monthLabel(last)}` })).toBeVisible();
  const monthFigures = page.getByRole('region', { name: 'The month in figures' });
  await expect(monthFigures).toContainText(inr(7.5 * RATE)); // 1+1+1+1+2.5+1 litres
  await expect(monthFigures.locator('mat-card').filter({ hasText: 'Days delivered' })).toContainText('6');
  await expect(monthFigures.locator('mat-card').filter({ hasText: 'Days skipped' })).toContainText('1');
  const grid = page.getByRole('table', { name: `Deliveries of ${monthLabel(last)}` });
  const totals = page.getByRole('table', { name: 'Totals per order' });
  const milk = totals.getByRole('row', { name: /Cow milk/ });
  for (const text of ['7.5 litre', inr(7.5 * RATE), '6 days', '1 day']) await expect(milk).toContainText(text);
  await look(page, 'business-month');

  // Correct the 3rd to half a litre, with a reason and a comment.
  await grid.getByRole('button', { name: new RegExp(`^Cow milk, \\w+ 3 ${monthLabel(last)}: delivered 1 litre`) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Quantity (litre)').fill('0.5');
  await dialog.getByLabel('Reason (the customer sees it)').fill('Only half a litre was left');
  await dialog.getByRole('button', { name: 'Save correction' }).click();
  await expect(dialog.getByRole('status')).toHaveText('The correction is saved.');
  await expect(dialog.getByText('Only half a litre was left')).toBeVisible();
  await dialog.getByLabel('Add a comment').fill('Customer agreed on the phone');
  await dialog.getByRole('button', { name: 'Comment' }).click();
  await expect(dialog.getByText('Customer agreed on the phone')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(monthFigures).toContainText(inr(7 * RATE));
  await expect(totals).toContainText('7 litre');

  // Settle the month into an invoice and open it.
  await page.getByRole('button', { name: `Settle ${monthLabel(last)} into an invoice` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Settle' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is billed as invoice' })).toBeVisible();
  await expect(page.locator('.page-head .chip')).toHaveText('Billed');
  const m = await api.get<{ status: string; invoice: { id: string; total: number } }>(`/v1/customers/${customers[0]}/months/${last}`);
  expect(m.status).toBe('billed');
  await page.getByRole('link', { name: /^Open invoice/ }).click();
  await expect(page).toHaveURL(new RegExp(`/business/invoices/${m.invoice.id}$`));
});

test('orders: create one in the form, see its terms, change it, stop it', async ({ page, request }) => {
  const dairy = await owner(request, 'Nandini Milk Centre');
  const api = as(request, dairy.token);
  await api.post('/v1/customers', { name: 'Vaishali Kamat', phone: '+919820077001' });

  await page.goto('/business/deliveries/orders');
  await signInUi(page, dairy.phone, dairy.phone.slice(3));
  await expect(page.getByText('No order matches.')).toBeVisible();
  await page.getByRole('link', { name: 'New order' }).click();
  await page.getByLabel('Customer').fill('Vais');
  await page.getByRole('option', { name: /Vaishali Kamat/ }).click();
  await page.getByLabel('Item').fill('Buffalo milk');
  await page.getByLabel('Quantity per delivery').fill('1.5');
  await page.getByLabel('Rate (₹ per unit)').fill('72.50');
  await page.getByRole('button', { name: 'Sunday' }).click(); // every day but Sunday
  await page.getByRole('button', { name: 'Create order' }).click();
  await expect(page.getByRole('heading', { name: 'Buffalo milk for Vaishali Kamat' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('The order for Vaishali Kamat is active.');
  await expect(page.getByText('1.5 litre at ₹72.50/litre, Mon–Sat')).toBeVisible();
  await look(page, 'business-order');

  // The API's own field errors show next to the field.
  await page.getByLabel('Quantity per delivery').fill('0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('mat-form-field').filter({ hasText: 'Quantity per delivery' }).locator('mat-error')).toHaveText(/\S/);
  // From tomorrow on: 2 litres (today's terms stay).
  const tomorrow = daysAgo(-1);
  await page.getByLabel('Quantity per delivery').fill('2');
  await page.getByLabel('New terms apply from').fill(tomorrow);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  const terms = page.getByRole('table', { name: 'Terms of the order' });
  await expect(terms.getByRole('row')).toHaveCount(3);
  await expect(terms.getByRole('row').nth(2)).toContainText('2 litre');
  await expect(terms.getByRole('row').nth(1)).toContainText('1.5 litre');

  await page.getByRole('button', { name: 'Stop the order' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('.page-head .chip')).toHaveText('Inactive');
  await page.getByRole('link', { name: '‹ Orders' }).click();
  await expect(page.getByRole('row', { name: /Vaishali Kamat/ })).toContainText('Inactive');
  await look(page, 'business-orders');
});
