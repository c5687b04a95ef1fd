import {
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';

/** The API's OpenAPI 3.1 document, on the app's own origin. */
export const OPENAPI_URL = '/v1/openapi.json';

/**
 * Scalar's own browser build (`@scalar/api-reference/dist/browser`: one ES module, its lazy chunks
 * beside it and its styles inside), which `angular.json` copies to `scalar/` of this app's build.
 */
const SCALAR_BUNDLE = 'scalar/standalone.esm.js';

/** What the bundle exports: `createApiReference`, typed by the package's own declarations. */
type ScalarBundle = Pick<typeof import('@scalar/api-reference'), 'createApiReference'>;

/**
 * Scalar's look adjusted (`customCss` is not in a cascade layer, so it wins over Scalar's layered
 * theme): the app's font, the app's blue, and text colours dark enough for WCAG AA contrast (4.5:1
 * on Scalar's white and light grey), which Scalar's default light theme misses for secondary text,
 * the HTTP method colours and "required".
 */
const CUSTOM_CSS = `
.scalar-app { --scalar-font: var(--app-font); }
.light-mode {
  --scalar-color-2: #5c5c5c;
  --scalar-color-3: #6b6b6b;
  --scalar-color-accent: #005cbb;
  --scalar-color-green: #047857;
  --scalar-color-red: #b91c1c;
  --scalar-color-yellow: #854d0e;
  --scalar-color-blue: #1d4ed8;
  --scalar-color-orange: #c2410c;
  --scalar-color-purple: #6d28d9;
  --scalar-color-query: #0f766e;
}
/* The request examples are dark blocks inside the light page: their method colours (DELETE in red, …) need
   Scalar's dark palette lightened for the same 4.5:1 on #1a1a1a. */
.dark-mode {
  --scalar-color-red: #ff7b7b;
  --scalar-color-green: #4ade80;
  --scalar-color-yellow: #facc15;
  --scalar-color-blue: #7cb4ff;
  --scalar-color-orange: #fb923c;
  --scalar-color-purple: #c9a0ff;
}
/* A tag's list of operations wraps long paths rather than scrolling sideways (no keyboard scrolling there). */
.scalar-app ul.endpoints { overflow: visible; }
.scalar-app a.endpoint { white-space: normal; }
.scalar-app .endpoint .endpoint-path { min-width: 0; overflow-wrap: anywhere; }
/* On phones Scalar's bar names the section in view on one line: cut it short rather than widen the page. */
.t-doc__header header > span { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
/* The code blocks' copy button shows its name ("Copy") only on hover or focus; keep it for screen readers. */
.scalar-code-block:not(:hover, :focus-within) .scalar-code-copy span.hidden {
  display: inline;
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
`;

/** The smallest part of Scalar's `createApiReference` answer that this page uses. */
interface Reference {
  destroy(): void;
}

/**
 * `/docs`: the API reference for people (mobile developers), Scalar's
 * renderer of the API's OpenAPI document. Public, and loaded only here: the
 * app's build copies Scalar's prebuilt browser bundle (Vue and all, split
 * in chunks) from the pinned npm package, and this page imports it from this
 * origin when it opens; Scalar's styles go when the page does. Nothing
 * leaves this origin: no web fonts, no telemetry, no request proxy, no
 * Scalar services; the "Test Request" client calls the API here directly.
 */
@Component({
  selector: 'app-api-docs',
  imports: [RouterLink],
  template: `
    <header class="bar" aria-label="Hisaab">
      <p class="brand"><span class="name">Hisaab</span><span class="what">API reference</span></p>
      <nav class="links" aria-label="API reference">
        <a [href]="openapiUrl" type="application/json">OpenAPI JSON</a>
        <a routerLink="/">Back to the app</a>
      </nav>
    </header>
    <!-- Scalar's reference brings its own <main> and sidebar landmarks. -->
    <div class="reference-page">
      @if (state() === 'loading') {
        <p class="state muted" role="status">Loading the API reference…</p>
      } @else if (state() === 'error') {
        <p class="state error-text" role="alert">
          The API reference could not be loaded. Check your connection and reload the page, or read
          the
          <a [href]="openapiUrl">OpenAPI document</a> itself.
        </p>
      }
      <div #reference class="reference"></div>
    </div>
  `,
  styles: `
    :host {
      display: block;
      min-height: 100vh;
      --docs-bar-height: 48px;
      /* Scalar's sticky sidebar and header sit below this page's bar. */
      --scalar-custom-header-height: var(--docs-bar-height);
    }
    .bar {
      position: sticky;
      top: 0;
      z-index: 20;
      box-sizing: border-box;
      height: var(--docs-bar-height);
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 0 16px;
      background: var(--mat-sys-surface-container-lowest, #fff);
      border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
    }
    .brand {
      margin: 0;
      flex: 1 1 auto;
      min-width: 0;
      display: flex;
      align-items: baseline;
      gap: 8px;
      white-space: nowrap;
      overflow: hidden;
    }
    .name {
      font-weight: 600;
      font-size: 1.1rem;
      color: var(--mat-sys-primary, #005cbb);
    }
    .what {
      color: var(--mat-sys-on-surface-variant, #44474e);
    }
    .links {
      display: flex;
      gap: 16px;
      white-space: nowrap;
    }
    .links a {
      display: inline-flex;
      align-items: center;
      min-height: 40px;
      font-size: 0.95rem;
    }
    .state {
      padding: 16px;
      margin: 0;
    }
    @media (max-width: 480px) {
      .bar {
        gap: 8px;
        padding: 0 8px;
      }
      .links {
        gap: 12px;
      }
      .links a {
        font-size: 0.875rem;
      }
      /* Scalar's own title names the page; the bar keeps the name and both links. */
      .what {
        display: none;
      }
    }
  `,
})
export class ApiDocs {
  protected readonly openapiUrl = OPENAPI_URL;
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  private readonly host = viewChild.required<ElementRef<HTMLElement>>('reference');

  constructor() {
    let reference: Reference | undefined;
    let destroyed = false;
    inject(DestroyRef).onDestroy(() => {
      destroyed = true;
      // Unmounts the reference and takes Scalar's <style> out of the page.
      reference?.destroy();
      // Scalar marks the body with its colour mode; the rest of the app has its own styles.
      document.body.classList.remove('light-mode', 'dark-mode');
    });
    afterNextRender(async () => {
      try {
        jitlessZod();
        // A file of this app's build, not a module for the bundler: imported by its address.
        const bundle = new URL(SCALAR_BUNDLE, document.baseURI).href;
        const { createApiReference } = (await import(/* @vite-ignore */ bundle)) as ScalarBundle;
        if (destroyed) return;
        const origin = window.location.origin;
        reference = createApiReference(this.host().nativeElement, {
          url: OPENAPI_URL,
          title: 'Hisaab API',
          // The API on this origin: the test request client calls it directly, never through a proxy.
          servers: [{ url: origin, description: 'This server' }],
          proxyUrl: undefined,
          // Nothing from other hosts: system fonts, no telemetry, no Scalar services or AI agent, no
          // "Open API Client" button (it opens client.scalar.com with this document's address).
          withDefaultFonts: false,
          telemetry: false,
          showDeveloperTools: 'never',
          agent: { disabled: true },
          mcp: { disabled: true },
          externalUrls: {
            dashboardUrl: origin,
            registryUrl: origin,
            proxyUrl: origin,
            apiBaseUrl: origin,
          },
          hideClientButton: true,
          persistAuth: false,
          // The app's light look and its font.
          theme: 'default',
          forceDarkModeState: 'light',
          hideDarkModeToggle: true,
          customCss: CUSTOM_CSS,
          documentDownloadType: 'json',
          defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
          setPageTitle: ({ title }) => `${title} · Hisaab API reference`,
        });
        this.state.set('ready');
      } catch (error) {
        console.error('API reference', error);
        this.state.set('error');
      }
    });
  }
}

/**
 * Scalar validates its configuration with zod 4, which probes `new Function('')` to decide whether
 * to compile validators; under the hosted CSP (`script-src 'self'`, no `'unsafe-eval'`) the probe
 * is refused and reported as a violation. zod's documented `jitless` setting (`z.config`, kept on
 * `globalThis.__zod_globalConfig`) skips the probe.
 */
function jitlessZod(): void {
  const scope = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
  scope.__zod_globalConfig ??= {};
  scope.__zod_globalConfig.jitless = true;
}
