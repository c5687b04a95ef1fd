import { Component, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatCardModule } from '@angular/material/card';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';

type Detail = components['schemas']['CompanyDetail'];

/** A company's page (`GET /v1/registry/companies/{id}`): due, overdue since, rating with its reasons, listed reports. */
@Component({
  selector: 'app-company',
  imports: [RouterLink, MatCardModule, ListState, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <p><a routerLink="/admin/companies">‹ Companies</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (company(); as c) {
          <div class="page-head">
            <h1>{{ c.name }}</h1>
            <span class="grade grade-{{ c.rating.grade }}" [attr.aria-label]="'Grade ' + c.rating.grade">{{ c.rating.grade }}</span>
          </div>
          <section class="cards">
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.due_paise | rupees }}</span><span class="muted">Due</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.overdue_since | indianDate }}</span><span class="muted">Overdue since</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.rating.score }}/100</span><span class="muted">Rating score</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.reporting_creditors }}</span><span class="muted">Creditors reporting</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.disputes_upheld }}</span><span class="muted">Disputes upheld</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.paid_after_listing }}</span><span class="muted">Paid after listing</span></mat-card>
          </section>
          <dl>
            <dt>City</dt><dd>{{ c.city ?? '—' }}</dd>
            <dt>GSTIN</dt><dd>{{ c.gstin ?? '—' }}</dd>
            <dt>PAN</dt><dd>{{ c.pan ?? '—' }}</dd>
            <dt>Phone</dt><dd>{{ c.phone | phone }}</dd>
          </dl>
          <h2>Why this rating</h2>
          <ul>
            @for (r of c.rating.reasons; track $index) {
              <li><strong>{{ r.points > 0 ? '+' : '' }}{{ r.points }}</strong> {{ r.reason }}</li>
            } @empty {
              <li>No defaults reported: full score.</li>
            }
          </ul>
          <h2>Listed reports</h2>
          <ul>
            @for (l of c.reports; track l.report_id) {
              <li>
                <a [routerLink]="['/admin/transactions', l.report_id]">{{ l.due_paise | rupees }}</a>
                · {{ l.payment_status | label }} · listed {{ l.approved_at | indianDate }}
                @if (l.reporter_name) {
                  · reported by {{ l.reporter_name }}
                }
              </li>
            } @empty {
              <li class="muted">No listed reports.</li>
            }
          </ul>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .card { padding: 16px; display: flex; flex-direction: column; gap: 4px; }
    .figure { font-size: 1.4rem; font-weight: 500; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 16px 0; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; }
    h2 { font-size: 1.1rem; font-weight: 500; margin: 16px 0 8px; }
  `,
})
export class Company {
  private readonly session = inject(Session);
  readonly companyId = input.required<string>();
  readonly company = signal<Detail | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      this.companyId();
      void this.load();
    });
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.company.set(await call(this.session.api.GET('/v1/registry/companies/{company_id}', { params: { path: { company_id: this.companyId() } } })));
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }
}
