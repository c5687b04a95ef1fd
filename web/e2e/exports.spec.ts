import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { ADMINS, as, look, owner, signInUi, uniquePhone } from './api';

test('a super admin exports one business, downloads it, and an L1 admin cannot', async ({ page, browser, request }) => {
  // A business with a customer, through the API.
  const suffix = Date.now().toString(36).slice(-5);
  const business = `Exportwala Dairy ${suffix}`;
  const seller = await owner(request, business);
  await as(request, seller.token).post('/v1/customers', { name: 'Gupta Tea Stall', phone: uniquePhone() });

  // The super admin opens Exports from the navigation.
  await page.goto('/admin/exports');
  await signInUi(page, ADMINS.super2.phone, ADMINS.super2.local);
  await expect(page.getByRole('heading', { name: 'Exports', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Exports' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('JSON Lines')).toBeVisible();
  await expect(page.getByText('15 minutes')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'What' })).toContainText('Everything');

  // A business id that does not exist: the API's field error shows at the field.
  const businessField = page.getByRole('combobox', { name: 'Business' });
  await businessField.fill('biz_01NOSUCHBUSINESS0000000000');
  await page.getByRole('button', { name: 'Start export' }).click();
  const field = page.locator('mat-form-field').filter({ hasText: 'Business' });
  await expect(field.locator('mat-error')).toHaveText('no such business');
  await expect(page.getByRole('alert')).toHaveText('Please correct the fields marked in red.');

  // Pick the business by the start of its name, and one kind.
  await businessField.fill('');
  await businessField.pressSequentially('Exportwala');
  await page.getByRole('option', { name: new RegExp(business) }).click();
  await expect(businessField).toHaveValue(business);
  await page.getByRole('combobox', { name: 'What' }).click();
  await page.getByRole('option', { name: 'Customers', exact: true }).click();
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(page.getByRole('status')).toContainText(`Export queued: Customers of ${business}`);
  const row = page.getByRole('row').filter({ hasText: business });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.chip')).toHaveText('Queued');
  await expect(row).toContainText('by Ravi Super');
  await expect(row.getByRole('button', { name: /Download/ })).toHaveCount(0);

  // The job writes it; the row updates itself.
  const job = await request.post('/_local/jobs/exports', { data: {} });
  expect(job.ok(), await job.text()).toBeTruthy();
  await expect(row.locator('.chip')).toHaveText('Done', { timeout: 8_000 });
  const items = Number((await row.locator('td.mat-column-items').innerText()).replace(/,/g, ''));
  expect(items).toBeGreaterThan(0);
  await expect(row.locator('td.mat-column-bytes')).toHaveText(/^\d+(\.\d)? (B|kB|MB)$/);

  // Download: a fresh link, the file saved, and the link kept on the page.
  const saved = page.waitForEvent('download');
  await row.getByRole('button', { name: `Download Customers of ${business}` }).click();
  const download = await saved;
  expect(download.suggestedFilename()).toMatch(
    /^hisaab-customers-exportwala-dairy-[a-z0-9]+-\d{4}-\d{2}-\d{2}\.jsonl$/,
  );
  const file = await readFile((await download.path())!, 'utf8');
  expect(file).toContain('Gupta Tea Stall');
  const lines = file.trim().split('\n');
  expect(lines).toHaveLength(items);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  const link = page.getByRole('status').getByRole('link', { name: 'Open the link' });
  await expect(page.getByRole('status')).toContainText('works until');
  const fetched = await request.get((await link.getAttribute('href'))!);
  expect(fetched.ok()).toBeTruthy();
  expect(await fetched.text()).toContain('Gupta Tea Stall');

  // The whole platform, after a confirmation: queued above the done one.
  await page.getByRole('radio', { name: 'The whole platform' }).check();
  await expect(businessField).toHaveCount(0);
  await page.getByRole('combobox', { name: 'What' }).click();
  await page.getByRole('option', { name: 'Everything', exact: true }).click();
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(page.getByRole('dialog')).toContainText('every business and user');
  await page.getByRole('dialog').getByRole('button', { name: 'Start export' }).click();
  await expect(page.getByRole('status')).toContainText('Export queued: Everything of the whole platform');
  const rows = page.locator('tr[data-export]');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('The whole platform');
  await expect(rows.first().locator('.chip')).toHaveText('Queued');
  await look(page, 'admin-exports');
  await page.setViewportSize({ width: 360, height: 1100 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/screens/admin-exports-phone-tall.png' });
  await page.setViewportSize({ width: 1440, height: 900 });

  // An L1 admin (added by the super admin, so no shared admin's code is spent)
  // sees no Exports section, and the page sends them to the dashboard.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('hisaab.session')!).access_token as string);
  const l1 = { phone: uniquePhone(), name: 'Lalit L1' };
  await as(request, token).post('/v1/admin/employees', { name: l1.name, phone: l1.phone, role: 'admin_l1' });
  const other = await browser.newPage();
  await other.goto('/admin/exports');
  await signInUi(other, l1.phone, l1.phone.slice(3));
  await expect(other.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(other).toHaveURL(/\/admin$/);
  await expect(other.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(other.getByRole('link', { name: 'Exports' })).toHaveCount(0);
  await other.goto('/admin/exports');
  await expect(other.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(other.getByRole('heading', { name: 'Exports' })).toHaveCount(0);
  // The API refuses them too.
  const l1Token = await other.evaluate(
    () => JSON.parse(localStorage.getItem('hisaab.session')!).access_token as string,
  );
  const refused = await request.post('/v1/admin/exports', {
    data: {},
    headers: { Authorization: `Bearer ${l1Token}` },
  });
  expect(refused.status()).toBe(403);
  await other.close();
});
