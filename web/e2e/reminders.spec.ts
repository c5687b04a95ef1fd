import { APIRequestContext, Page, expect, test } from '@playwright/test';
import { as, daysAgo, look as lookAt, owner, signInUi, uniquePhone } from './api';

/** [`lookAt`] with nothing in focus (a focused link of the closed phone menu peeks out at its edge). */
async function look(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await lookAt(page, name);
}

/** `+919812345678` as the app shows it. */
const shown = (phone: string) => `${phone.slice(0, 3)} ${phone.slice(3, 8)} ${phone.slice(8)}`;

/** PATCH as the holder of `token` (e2e/api.ts has POST and GET only). */
async function patch<T = Record<string, unknown>>(
  request: APIRequestContext,
  token: string,
  path: string,
  data: unknown,
) {
  const response = await request.patch(path, {
    data,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.ok(), `${path} → ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

test('an owner sets up payment reminders and templates, sends an invoice, and a customer stops reminders by the link', async ({
  page,
  request,
  browser,
}) => {
  const me = await owner(request, 'Sharma Reminders');
  const api = as(request, me.token);
  const phone = uniquePhone();
  const email = `ramesh.${Date.now()}@example.com`;
  const customer = await api.post<{ id: string }>('/v1/customers', {
    name: 'Ramesh Kirana',
    phone,
    email,
  });
  // Issued, due in ten days: its first reminder is planned for three days before.
  const invoice = await api.post<{ id: string; number: string }>('/v1/invoices', {
    customer_id: customer.id,
    invoice_date: daysAgo(5),
    due_date: daysAgo(-10),
    lines: [{ description: 'Toor dal, 30 kg', quantity: 1, unit_price: 450_000, tax_rate_bp: 0 }],
  });

  await page.goto('/sign-in');
  await signInUi(page, me.phone, me.phone.slice(3));
  await expect(page).toHaveURL(/\/business$/);

  // Settings: reminders on by SMS and mail; the API's 422 shows on the stages field.
  await page.getByRole('link', { name: 'Settings' }).click();
  const onOff = page.getByRole('switch', { name: 'Send reminders' });
  await expect(onOff).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('schedule')).toContainText(
    '3 days before · on the due date · 3, 7, 15 days after, then every 15 days until 90 days',
  );
  await onOff.click();
  const stages = page.getByLabel('Days from the due date');
  await stages.fill('3, 0');
  await page.getByRole('combobox', { name: 'Send by' }).click();
  await page.getByRole('option', { name: 'SMS and mail' }).click();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('stages in ascending order, each once')).toBeVisible();
  await stages.fill('-3, 0, 3, 7, 15');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
  await expect(onOff).toHaveAttribute('aria-checked', 'true');
  await expect(
    page.getByText('Customers who owe you get a reminder by SMS and mail'),
  ).toBeVisible();
  await look(page, 'reminders-settings');

  // Templates: the reminder SMS previewed with its segments, a broken one refused with its line, one saved, the default back.
  await page.getByRole('link', { name: 'Message templates ›' }).click();
  await expect(page.getByRole('heading', { name: 'Payment reminder · SMS' })).toBeVisible();
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('preview')).toContainText(
    'Sharma Reminders: invoice INV-0042, Rs 1,23,456.50',
  );
  await expect(page.getByTestId('segments')).toContainText('2 SMS segments, GSM');
  const text = page.getByRole('textbox', { name: 'Text' });
  await text.fill('Namaste {{ customer.name }},\n{{ invoice.secret }} is due.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Text: Line 2: invoice.secret is not a variable of reminder templates',
  );
  await text.fill('नमस्ते {{ customer.name }}, ₹{{ invoice.balance }} बाकी हैं। {{ invoice.pdf_url }}');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('segments')).toContainText('SMS segments, UCS-2');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Payment reminder · SMS is saved');
  await expect(page.getByTestId('badge')).toHaveText('Custom');
  await page.getByRole('button', { name: 'Restore default' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restore default' }).click();
  await expect(page.getByTestId('badge')).toHaveText('Default');
  await expect(text).toHaveValue(/^\{\{ business\.name \}\}: invoice/);
  await expect(page.getByTestId('segments')).toContainText('2 SMS segments, GSM');
  await look(page, 'reminders-templates');

  // The customer's reminders can be turned off and on by the business.
  await page.goto(`/business/customers/${customer.id}`);
  const theirs = page.getByRole('switch', { name: 'Send reminders' });
  await expect(theirs).toHaveAttribute('aria-checked', 'true');
  await theirs.click();
  await expect(page.getByRole('status')).toHaveText(
    'Ramesh Kirana gets no more payment reminders.',
  );
  await theirs.click();
  await expect(page.getByRole('status')).toHaveText('Ramesh Kirana gets payment reminders again.');

  // The invoice sent from its page: the result, the history, the next reminder, and the once-a-minute limit.
  await page.goto(`/business/invoices/${invoice.id}`);
  await expect(page.getByTestId('next-reminder')).toBeVisible();
  await page.getByRole('button', { name: 'Send to customer' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: 'SMS and mail' })).toBeChecked();
  await expect(dialog).toContainText(`to ${shown(phone)}`);
  await look(page, 'reminders-send');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  const snack = page.locator('.mdc-snackbar__label');
  await expect(snack).toHaveText(`Sent by SMS to ${shown(phone)} and by mail to ${email}.`);
  await expect(page.getByText(`Invoice sent by SMS to ${shown(phone)}: sent`)).toBeVisible();
  await expect(page.getByText(`Invoice sent by mail to ${email}: sent`)).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.getByRole('button', { name: 'Send to customer' }).click();
  await dialog.getByRole('radio', { name: /^SMS to/ }).check();
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(snack).toContainText(/Sent a moment ago; try again in \d+ seconds/);

  // The log shows both messages.
  await page.getByRole('link', { name: 'Notifications' }).click();
  const rows = page.getByRole('row', { name: new RegExp(invoice.number) });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Invoice sent');
  await expect(rows.first()).toContainText('Sent');
  await look(page, 'reminders-log');

  // A reminder falls due: the due date moved four days back (so that, with no quiet hours, the stage
  // "3 days after" passed at midnight whatever the time of day), and the job run now.
  const settings = await api.get<{ version: number; reminders: Record<string, unknown> }>(
    '/v1/business/settings',
  );
  await patch(request, me.token, '/v1/business/settings', {
    version: settings.version,
    reminders: { ...settings.reminders, quiet_start: '00:00', quiet_end: '00:00' },
  });
  const fresh = await api.get<{ version: number }>(`/v1/invoices/${invoice.id}`);
  await patch(request, me.token, `/v1/invoices/${invoice.id}`, {
    due_date: daysAgo(4),
    version: fresh.version,
  });
  await api.post('/_local/jobs/reminders', {});
  let stopLink = '';
  await expect
    .poll(async () => {
      const outbox = await (await request.get('/_local/outbox')).json();
      const mail = (outbox.messages as { to: string; subject?: string; body: string }[]).find(
        (m) => m.to === email && m.subject?.startsWith('Payment reminder'),
      );
      stopLink = mail?.body.match(/https?:\/\/\S+\/stop\/\w+/)?.[0] ?? '';
      return stopLink;
    })
    .toMatch(/\/stop\/\w{40,}$/);

  // The customer, on a phone, without an account: a bad link, then theirs.
  const customerContext = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const phonePage = await customerContext.newPage();
  await phonePage.goto(stopLink.replace(/\/stop\/\w+$/, '/stop/not-a-real-token'));
  await expect(phonePage.getByRole('heading', { name: 'This link is not valid.' })).toBeVisible();
  await expect(phonePage.getByRole('button', { name: 'Stop reminders' })).toHaveCount(0);
  await phonePage.goto(stopLink);
  await expect(
    phonePage.getByRole('heading', { name: 'Stop payment reminders from Sharma Reminders?' }),
  ).toBeVisible();
  await look(phonePage, 'reminders-stop');
  await phonePage.getByRole('button', { name: 'Stop reminders' }).click();
  await expect(phonePage.getByRole('status')).toHaveText(
    'You will get no more payment reminders from Sharma Reminders.',
  );
  // The link opened again says so, without asking.
  await phonePage.reload();
  await expect(phonePage.getByRole('heading', { name: 'Reminders stopped' })).toBeVisible();
  await customerContext.close();

  // The business sees it, cannot undo it, and finds the reminder among the messages sent to them.
  await page.goto(`/business/customers/${customer.id}`);
  await expect(page.getByTestId('reminders-text')).toContainText('Stopped by the customer on');
  await expect(theirs).toBeDisabled();
  await expect(theirs).toHaveAttribute('aria-checked', 'false');
  await look(page, 'reminders-customer');
  await page.getByRole('link', { name: 'Messages sent ›' }).click();
  await expect(page.getByText('Messages to Ramesh Kirana')).toBeVisible();
  await expect(page.getByRole('row', { name: /Reminder/ }).first()).toContainText(
    'days after the due date',
  );
  await page.goto(`/business/invoices/${invoice.id}`);
  await expect(
    page.getByText(/^Message · Reminder \(\d+ days? after the due date\) by mail to/),
  ).toBeVisible();
});
