import { Component, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatCardModule } from '@angular/material/card';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { RegistryNav } from './nav';
import { RatingView } from './search';

type Detail = components['schemas']['CompanyDetail'];

/** A company of the registry (`GET /v1/registry/companies/{id}`): totals, rating with reasons, listed defaults. */
@Component({
  selector: 'app-registry-company',
  imports: [RouterLink, MatCardModule, ListState, RegistryNav, RatingView, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-registry-nav />
      <p><a routerLink="/business/registry">‹ Search</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (company(); as c) {
          <div class="page-head"><h1>{{ c.name }}</h1></div>
          <p class="muted">
            {{ c.city ?? 'City not known' }} · GSTIN {{ c.gstin ?? '—' }} · PAN {{ c.pan ?? '—' }} · Phone {{ c.phone ?? '—' }}
          </p>
          <section class="cards" aria-label="Figures">
            <mat-card appearance="outlined" class="card"><span class="figure" [class.owed]="c.due_paise > 0">{{ c.due_paise | rupees }}</span><span class="muted">Due to members</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.overdue_since | indianDate }}</span><span class="muted">Overdue since</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.reporting_creditors }}</span><span class="muted">Creditors reporting</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.disputes_upheld }}</span><span class="muted">Disputes won by the company</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ c.paid_after_listing }}</span><span class="muted">Invoices paid after listing</span></mat-card>
          </section>
          <h2>Credit rating</h2>
          <app-rating [rating]="c.rating" />
          <h2>Listed defaults</h2>
          @for (l of c.reports; track l.report_id) {
            <mat-card appearance="outlined" class="listing">
              <p>
                <strong>{{ l.due_paise | rupees }}</strong> unpaid · <span class="chip {{ l.payment_status }}">{{ l.payment_status | label }}</span>
                <span class="muted">· listed {{ l.approved_at | indianDate }}</span>
              </p>
              <div class="table-wrap">
                <table class="plain" aria-label="Invoices of the listing">
                  <thead>
                    <tr><th scope="col">Invoice</th><th scope="col">Date</th><th scope="col">Due</th><th scope="col" class="num">Amount</th><th scope="col">Paid</th></tr>
                  </thead>
                  <tbody>
                    @for (i of l.invoices; track i.number) {
                      <tr>
                        <td>{{ i.number }}</td>
                        <td>{{ i.invoice_date | indianDate }}</td>
                        <td>{{ i.due_date | indianDate }}</td>
                        <td class="num">{{ i.amount_paise | rupees }}</td>
                        <td>{{ i.paid ? 'Paid ' + (i.paid_at | indianDate) : 'Unpaid' }}</td>
                      </tr>
                    }
                  </tbody>
                </table>
              </div>
            </mat-card>
          } @empty {
            <p class="muted">No default is listed against this company.</p>
          }
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .card { padding: 12px 16px; display: flex; flex-direction: column; gap: 4px; }
    .figure { font-size: 1.3rem; font-weight: 500; }
    .figure.owed { color: var(--mat-sys-error, #ba1a1a); }
    h2 { font-size: 1.1rem; font-weight: 500; margin: 20px 0 8px; }
    .listing { padding: 8px 16px; margin-bottom: 12px; }
    table.plain { border-collapse: collapse; min-width: 480px; }
    table.plain th, table.plain td { padding: 6px 12px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ddd); text-align: left; }
    table.plain .num { text-align: right; }
  `,
})
export class RegistryCompany {
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
      this.company.set(
        await call(this.session.api.GET('/v1/registry/companies/{company_id}', { params: { path: { company_id: this.companyId() } } })),
      );
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }
}
