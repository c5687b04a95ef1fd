import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page, expect, test } from '@playwright/test';
import { look } from './api';

/**
 * The hosted Content-Security-Policy (template.yaml, `WebSecurityHeaders`), which `hisaab serve`
 * does not send: the test puts it on the app's pages, so that the reference must work under it.
 */
const HOSTED_CSP = /ContentSecurityPolicy: "([^"]+)"/.exec(
  readFileSync(join(__dirname, '..', '..', 'template.yaml'), 'utf8'),
)?.[1];

/** Serves the app's pages with the hosted CSP; records CSP violations and requests to other hosts. */
async function hosted(
  page: Page,
  origin: string,
): Promise<{ outside: string[]; violations: string[] }> {
  expect(HOSTED_CSP, 'the CSP in template.yaml').toContain("script-src 'self'");
  await page.route(
    (url) =>
      url.origin === origin && !url.pathname.startsWith('/v1/') && !/\.\w+$/.test(url.pathname),
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': HOSTED_CSP! },
      });
    },
  );
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    const scope = window as unknown as { reportCspViolation: (v: string) => void };
    document.addEventListener('securitypolicyviolation', (e) =>
      scope.reportCspViolation(
        `${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
      ),
    );
  });
  const outside: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== origin && !['data:', 'blob:'].includes(url.protocol)) outside.push(r.url());
  });
  return { outside, violations };
}

test.use({ viewport: { width: 1440, height: 900 } });

test('anyone reads the API reference at /docs, from this origin only, under the hosted CSP', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const { outside, violations } = await hosted(page, origin);

  // From the sign-in page, without signing in.
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page).toHaveURL(/\/docs$/);

  // Our bar: the name, the raw document, the way back.
  const bar = page.getByRole('banner').filter({ hasText: 'Hisaab' });
  await expect(bar).toBeVisible();
  const raw = bar.getByRole('link', { name: 'OpenAPI JSON' });
  await expect(raw).toHaveAttribute('href', '/v1/openapi.json');
  const document = await (await page.request.get((await raw.getAttribute('href'))!)).json();
  expect(document.openapi).toBe('3.1.0');

  // Scalar's reference of that document: its title, every tag, the operations.
  await expect(page.getByRole('heading', { level: 1, name: document.info.title })).toBeVisible({
    timeout: 20_000,
  });
  expect(document.info.title).toBe('Hisaab API');
  await expect(page).toHaveTitle(/Hisaab API/);
  const sidebar = page.getByRole('complementary', { name: 'Sidebar for Hisaab API' });
  for (const tag of ['auth', 'customers', 'invoices', 'registry']) {
    await expect(sidebar.getByRole('link', { name: tag, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('list', { name: 'auth endpoints' })).toContainText(
    '/v1/auth/otp/verify',
  );

  // One operation: its request body's fields and its responses.
  await sidebar.getByRole('button', { name: 'Open Group - customers' }).click();
  await sidebar.getByRole('link', { name: /^Creates a customer/ }).click();
  await expect(page).toHaveURL(/#tag\/customers\/POST\/v1\/customers$/);
  const operation = page.getByRole('region', { name: /^Creates a customer/ });
  const body = operation.getByRole('group', { name: 'Request Body' });
  await expect(body).toContainText('NewCustomer');
  await expect(body.getByRole('listitem').filter({ hasText: /^gstin/ })).toContainText(
    'GSTIN, verified with its checksum.',
  );
  await expect(body.getByRole('listitem').filter({ hasText: /^name/ })).toContainText('required');
  const responses = operation.getByRole('list', { name: 'Responses' });
  for (const status of ['201', '204', '422']) await expect(responses).toContainText(status);
  // The examples and the test request client call this origin, never a proxy.
  await expect(operation.getByRole('group', { name: /^Request Example/ })).toContainText(
    `curl ${origin}/v1/customers`,
  );

  // The operation as it looks (for the README), then the page's full screenshots and the axe check.
  await page.screenshot({ path: 'test-results/screens/docs-reference-desktop.png' });
  await page.setViewportSize({ width: 360, height: 780 });
  await body.evaluate((b) => {
    b.scrollIntoView();
    window.scrollBy(0, -110); // below our bar and Scalar's own
  });
  await page.waitForTimeout(250);
  await page.screenshot({ path: 'test-results/screens/docs-reference-phone.png' });
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth),
    'no sideways scrolling at 360 px',
  ).toBeLessThanOrEqual(362);
  await look(page, 'docs');

  // The test request client, on the list of customers: the API's own answer (no token: 401).
  await page.goto('/docs#tag/customers/GET/v1/customers');
  const list = page.getByRole('region', { name: /^Lists customers by name/ });
  await list.getByRole('button', { name: 'Test Request (get /v1/customers)' }).click();
  const client = page.getByRole('dialog');
  const sent = page.waitForResponse((r) => r.url().startsWith(`${origin}/v1/customers`));
  await client.getByRole('button', { name: /^Send/ }).first().click();
  expect((await sent).status()).toBe(401);
  await expect(client).toContainText('Not authenticated');
  await page.keyboard.press('Escape');

  // Back to the app (signed out: the sign-in page), without Scalar's styles.
  await page.getByRole('banner').getByRole('link', { name: 'Back to the app' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Hisaab' })).toBeVisible();
  await expect(page.locator('style#scalar-style')).toHaveCount(0);
  await expect(page.locator('body')).not.toHaveClass(/light-mode/);

  expect(outside, 'requests to other hosts').toEqual([]);
  expect(violations, 'CSP violations').toEqual([]);
});
