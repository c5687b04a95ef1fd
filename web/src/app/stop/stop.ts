import { Component, OnInit, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import createClient from 'openapi-fetch';
import type { paths } from '../api/schema';
import { ApiProblem, call, describe } from '../core/problem';

type State = 'loading' | 'ask' | 'sending' | 'done' | 'invalid' | 'error';

/**
 * `/stop/:token`, the page behind the link in a payment reminder: it names
 * the business (`GET /v1/reminders/opt-out/{token}`), the customer (no
 * account, no sign-in) confirms and `POST /v1/reminders/opt-out` stops the
 * business's reminders to them. In English with Hindi beside it: the
 * business's customers read either.
 */
@Component({
  selector: 'app-stop-reminders',
  imports: [MatButtonModule, MatCardModule],
  template: `
    <main class="stop">
      <mat-card appearance="outlined">
        <p class="brand">Hisaab</p>
        @switch (state()) {
          @case ('done') {
            <h1 id="stop-title" tabindex="-1">Reminders stopped</h1>
            <p class="lead" role="status">
              You will get no more payment reminders from {{ business() }}.
            </p>
            <p lang="hi" class="hi">{{ business() }} से अब आपको भुगतान के अनुस्मारक नहीं आएँगे।</p>
            <p class="muted">
              Bills that {{ business() }} sends you themselves still come, and what you owe them
              does not change.
            </p>
          }
          @case ('loading') {
            <p class="muted" role="status">Opening the link…</p>
          }
          @case ('invalid') {
            <h1 id="stop-title" tabindex="-1">This link is not valid.</h1>
            <p lang="hi" class="hi">यह लिंक मान्य नहीं है।</p>
            <p class="muted">
              It may be cut short or mistyped. Open the link from the reminder message again, or ask
              the business that sent it.
            </p>
          }
          @default {
            <h1 id="stop-title" tabindex="-1">Stop payment reminders from {{ business() }}?</h1>
            <p lang="hi" class="hi">{{ business() }} से भुगतान के अनुस्मारक बंद करें?</p>
            <p>
              {{ business() }} sends you reminders by SMS or mail when a bill of yours is due or
              unpaid. If you stop them, {{ business() }} sends you no more reminders.
            </p>
            <p lang="hi" class="hi">बंद करने पर वह व्यापारी आपको बकाया बिल के अनुस्मारक नहीं भेजेगा।</p>
            <p class="muted">Bills they send you still come, and what you owe does not change.</p>
            @if (state() === 'error') {
              <p class="error-text" role="alert">{{ error() }}</p>
            }
            <button
              mat-flat-button
              type="button"
              class="go"
              (click)="stop()"
              [disabled]="state() === 'sending'"
            >
              {{ state() === 'sending' ? 'Stopping…' : 'Stop reminders' }}
            </button>
          }
        }
      </mat-card>
    </main>
  `,
  styles: `
    .stop {
      min-height: 100vh;
      display: grid;
      place-items: center;
      padding: 16px;
      box-sizing: border-box;
      background: var(--mat-sys-surface-container-low);
    }
    mat-card {
      width: 100%;
      max-width: 460px;
      padding: 20px;
      box-sizing: border-box;
    }
    .brand {
      margin: 0 0 8px;
      font-weight: 600;
      color: var(--mat-sys-primary);
    }
    h1 {
      font-size: 1.5rem;
      font-weight: 500;
      margin: 0 0 4px;
    }
    h1:focus {
      outline: none;
    }
    p {
      line-height: 1.5;
      margin: 0 0 12px;
    }
    .hi {
      color: var(--mat-sys-on-surface-variant);
      font-family: 'Noto Sans Devanagari', var(--app-font);
    }
    .lead {
      font-size: 1.1rem;
      font-weight: 500;
    }
    .go {
      width: 100%;
      height: 48px;
      margin-top: 4px;
    }
  `,
})
export class StopReminders implements OnInit {
  /** From the route: `/stop/:token`. */
  readonly token = input.required<string>();
  readonly state = signal<State>('loading');
  readonly business = signal('');
  readonly error = signal<string | null>(null);
  /** No token: the customer has no account here. */
  private readonly api = createClient<paths>({ baseUrl: location.origin });

  /** Names the business of the link; a link already used shows as done. */
  async ngOnInit(): Promise<void> {
    try {
      const link = await call(
        this.api.GET('/v1/reminders/opt-out/{token}', {
          params: { path: { token: this.token() } },
        }),
      );
      this.business.set(link.business_name);
      this.state.set(link.reminders ? 'ask' : 'done');
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404) {
        this.state.set('invalid');
      } else {
        this.error.set(describe(e));
        this.state.set('error');
      }
    }
  }

  async stop(): Promise<void> {
    this.state.set('sending');
    this.error.set(null);
    try {
      const done = await call(
        this.api.POST('/v1/reminders/opt-out', { body: { token: this.token() } }),
      );
      this.business.set(done.business_name);
      this.state.set('done');
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404) {
        this.state.set('invalid');
      } else {
        this.error.set(describe(e));
        this.state.set('error');
      }
    }
    setTimeout(() => document.getElementById('stop-title')?.focus());
  }
}
