import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, Page, expect } from '@playwright/test';

/** Admins created by e2e/serve.sh. */
export const ADMINS = {
  l1: { phone: '+919000000001', local: '9000000001', name: 'Lata L1' },
  senior: { phone: '+919000000002', local: '9000000002', name: 'Sunil Senior' },
  super: { phone: '+919000000003', local: '9000000003', name: 'Meera Super' },
  /** Signs in more than the others: OTP sends are limited to 3 per 15 minutes a phone. */
  l1b: { phone: '+919000000004', local: '9000000004', name: 'Kiran L1' },
  /** The exports test's own super admin, so that Meera's sign-ins stay the admin tests'. */
  super2: { phone: '+919000000005', local: '9000000005', name: 'Ravi Super' },
};

let counter = 0;
/** A phone number no other test uses. */
export function uniquePhone(): string {
  counter += 1;
  const n = (Date.now() % 1_000_000).toString().padStart(6, '0');
  return `+9187${n}${counter.toString().padStart(2, '0')}`;
}

/** The newest 6-digit code sent to `phone`, from the local outbox. */
export async function lastOtp(request: APIRequestContext, phone: string): Promise<string> {
  const outbox = await (await request.get('/_local/outbox')).json();
  const messages = (outbox.messages as { channel: string; to: string; body: string }[]).filter(
    (m) => m.channel === 'sms' && m.to === phone,
  );
  const code = messages.at(-1)?.body.match(/\b\d{6}\b/)?.[0];
  expect(code, `an OTP sent to ${phone}`).toBeTruthy();
  return code!;
}

async function ok<T = Record<string, unknown>>(response: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  expect(response.ok(), `${response.url()} → ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

/** A bearer token for `phone` (OTP sign-in through the API). */
export async function signInApi(request: APIRequestContext, phone: string): Promise<string> {
  await ok(await request.post('/v1/auth/otp', { data: { phone } }));
  const code = await lastOtp(request, phone);
  const tokens = await ok<{ access_token: string }>(await request.post('/v1/auth/otp/verify', { data: { phone, code } }));
  return tokens.access_token;
}

/** Calls the API as the holder of `token`. */
export function as(request: APIRequestContext, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  return {
    post: async <T = Record<string, unknown>>(path: string, data: unknown) => ok<T>(await request.post(path, { data, headers })),
    get: async <T = Record<string, unknown>>(path: string) => ok<T>(await request.get(path, { headers })),
  };
}

/** A business owner registered and signed in: its token and business. */
export async function owner(request: APIRequestContext, businessName: string) {
  const phone = uniquePhone();
  await ok(
    await request.post('/v1/auth/register', {
      data: { name: `${businessName} owner`, phone, account_type: 'business', business_name: businessName },
    }),
  );
  const code = await lastOtp(request, phone);
  const tokens = await ok<{ access_token: string; user: { business_id: string } }>(
    await request.post('/v1/auth/otp/verify', { data: { phone, code } }),
  );
  return { token: tokens.access_token, businessId: tokens.user.business_id, phone };
}

/** `n` days before today in Asia/Kolkata (the businesses' time zone, UTC+05:30, which decides "today" and
 * "overdue" in the app), `yyyy-mm-dd`: between 18:30 and 24:00 UTC the UTC date is a day behind. */
export function daysAgo(n: number): string {
  return new Date(Date.now() + 330 * 60_000 - n * 86_400_000).toISOString().slice(0, 10);
}

/** An issued, overdue invoice of one line (amount in paise); its id. */
export async function overdueInvoice(api: ReturnType<typeof as>, customerId: string, paise: number, number: number): Promise<string> {
  const invoice = await api.post<{ id: string }>('/v1/invoices', {
    customer_id: customerId,
    invoice_date: daysAgo(60 - number),
    due_date: daysAgo(30 - number),
    lines: [{ description: `Rice, 25 kg bags (lot ${number})`, quantity: 1, unit_price: paise, tax_rate_bp: 0 }],
  });
  return invoice.id;
}

/** Signs in through the app's sign-in page with a code from the outbox. */
export async function signInUi(page: Page, phone: string, local: string): Promise<void> {
  await page.getByLabel('Mobile number').fill(local);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText('We sent a 6-digit code')).toBeVisible();
  await page.getByLabel('Code').fill(await lastOtp(page.request, phone));
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Fails on serious or critical accessibility violations (axe-core). */
export async function accessible(page: Page, what: string): Promise<void> {
  // Text fading in or out (a field's error after a reset, a dialog opening) would be measured
  // half-transparent by the contrast check: let finite animations end first (a progress bar's
  // indeterminate one never does).
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), what).toEqual([]);
}

/** Screenshots at a phone's and a desktop's width, and the accessibility check. */
export async function look(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await accessible(page, name);
  for (const [width, height, label] of [
    [360, 780, 'phone'],
    [1440, 900, 'desktop'],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(250);
    await page.screenshot({ path: `test-results/screens/${name}-${label}.png`, fullPage: true });
  }
}
