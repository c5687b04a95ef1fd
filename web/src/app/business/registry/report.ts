import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormArray, FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe, formMessage, refused } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import { DocumentUploads, KINDS } from './documents';
import { RegistryNav } from './nav';

type Detail = components['schemas']['ReportDetail'];
type Invoice = components['schemas']['ReportedInvoice'];

const OPEN = ['pending', 'in_process', 'referred', 'approved'];

function toPaise(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.replace(/[,₹\s]/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

function rupeesText(paise: number): string {
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

/**
 * One of the business's reports (`GET /v1/registry/reports/{id}`): its
 * invoices, documents, review history, the company's dispute; marking
 * invoices paid, and asking the reviewers to withdraw or correct it.
 */
@Component({
  selector: 'app-my-report',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    ListState,
    RegistryNav,
    DocumentUploads,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <app-registry-nav />
      <p><a routerLink="/business/registry/reports">‹ My reports</a></p>
      @if (notice(); as n) {
        <p class="notice" role="status">{{ n }}</p>
      }
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (report(); as r) {
          <div class="page-head">
            <h1>{{ r.company_name }} · {{ r.amount_paise | rupees }} unpaid</h1>
            <span class="chip {{ r.status }}">{{ r.status | label }}</span>
            <span class="chip {{ r.payment_status }}">Payment {{ r.payment_status | label }}</span>
          </div>
          <p class="muted">{{ explain() }}</p>

          @if (r.dispute; as d) {
            <mat-card appearance="outlined" class="dispute" role="region" aria-label="The company's dispute">
              <h2>The company disputes this report</h2>
              <p>“{{ d.reason }}”</p>
              <p class="muted">Raised {{ d.created_at | indianDateTime }} · {{ d.status | label }}</p>
              @if (d.documents.length) {
                <ul>
                  @for (doc of d.documents; track doc.upload_id) {
                    <li>
                      @if (doc.url) {
                        <a [href]="doc.url" target="_blank" rel="noopener">{{ kindText(doc.kind) }}</a>
                      } @else {
                        {{ kindText(doc.kind) }}
                      }
                    </li>
                  }
                </ul>
              }
              @if (d.answer; as a) {
                <h3>Your answer</h3>
                <p>“{{ a.text }}”</p>
                <p class="muted">Sent {{ a.at | indianDateTime }}{{ a.documents.length ? ' with ' + a.documents.length + ' document(s)' : '' }}</p>
              } @else if (d.status === 'open' && isOwner()) {
                <form class="answer" [formGroup]="answerForm" (ngSubmit)="answer()" novalidate>
                  <h3>Answer the dispute</h3>
                  <mat-form-field appearance="outline" class="wide">
                    <mat-label>Your side, for the reviewers</mat-label>
                    <textarea matInput formControlName="text" rows="3" maxlength="2000"></textarea>
                    @if (answerForm.controls.text.hasError('api')) {
                      <mat-error>{{ answerForm.controls.text.getError('api') }}</mat-error>
                    }
                  </mat-form-field>
                  <app-document-uploads (changed)="answerDocs.set($event)" />
                  <button mat-flat-button type="submit" [disabled]="busy()">Send answer</button>
                </form>
              }
              <p>
                Hisaab's reviewers decide the dispute, with your documents, your answer and the company's.
                If the company is right, mark what was paid, or ask to withdraw or correct the report below.
              </p>
            </mat-card>
          }
          @if (r.edit_request; as e) {
            <p class="notice" role="status">
              You asked to {{ e.kind === 'withdraw' ? 'withdraw' : 'correct' }} this report on {{ e.created_at | indianDate }}: “{{ e.reason }}”. A reviewer decides it.
            </p>
          }

          @if (open()) {
            <section class="actions-bar" aria-label="What you can do">
              <div class="actions">
                @if (unpaid().length) {
                  <button mat-flat-button type="button" (click)="markPaid(null)" [disabled]="busy()">All paid</button>
                }
                @if (isOwner() && !r.edit_request) {
                  <button mat-stroked-button type="button" (click)="withdraw()" [disabled]="busy()">Ask to withdraw</button>
                  <button mat-stroked-button type="button" (click)="startCorrect()" [disabled]="busy()" [attr.aria-expanded]="correcting()">
                    Ask to correct amounts
                  </button>
                }
              </div>
              @if (correcting()) {
                <form [formGroup]="fix" (ngSubmit)="correct()" class="fix">
                  <h2>Correct the amounts due</h2>
                  <div formArrayName="corrections" class="fields">
                    @for (g of fix.controls.corrections.controls; track $index; let i = $index) {
                      <mat-form-field appearance="outline" [formGroupName]="i">
                        <mat-label>Due on {{ g.controls.number.value }} (₹)</mat-label>
                        <input matInput formControlName="amount" inputmode="decimal" />
                        <mat-error>{{ g.controls.amount.getError('api') }}</mat-error>
                      </mat-form-field>
                    }
                  </div>
                  <mat-form-field appearance="outline" class="wide">
                    <mat-label>Why</mat-label>
                    <textarea matInput formControlName="reason" rows="2" maxlength="2000"></textarea>
                    <mat-error>{{ fix.controls.reason.getError('api') }}</mat-error>
                  </mat-form-field>
                  <div class="actions">
                    <button mat-flat-button type="submit" [disabled]="busy()">Send to the reviewers</button>
                    <button mat-button type="button" (click)="correcting.set(false)">Cancel</button>
                  </div>
                </form>
              }
              @if (actionError(); as m) {
                <p class="error-text" role="alert">{{ m }}</p>
              }
            </section>
          }

          <h2>Invoices</h2>
          <div class="table-wrap">
            <table class="plain" aria-label="Invoices of the report">
              <thead>
                <tr>
                  <th scope="col">Number</th><th scope="col">Date</th><th scope="col">Due</th><th scope="col" class="num">Amount</th>
                  <th scope="col">Paid</th><th scope="col"><span class="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                @for (i of r.invoices; track i.number) {
                  <tr>
                    <td>
                      @if (i.invoice_id) {
                        <a [routerLink]="['/business/invoices', i.invoice_id]">{{ i.number }}</a>
                      } @else {
                        {{ i.number }}
                      }
                    </td>
                    <td>{{ i.invoice_date | indianDate }}</td>
                    <td>{{ i.due_date | indianDate }}</td>
                    <td class="num">{{ i.amount_paise | rupees }}</td>
                    <td>{{ i.paid ? 'Paid ' + (i.paid_at | indianDate) : 'Unpaid' }}</td>
                    <td>
                      @if (open() && !i.paid && r.invoices.length > 1) {
                        <button mat-button type="button" (click)="markPaid(i)" [disabled]="busy()" [attr.aria-label]="'Mark ' + i.number + ' paid'">Mark paid</button>
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>

          <div class="grid">
            <mat-card appearance="outlined" class="box">
              <h2>Details</h2>
              <dl>
                <dt>Filed</dt><dd>{{ r.created_at | indianDateTime }}</dd>
                <dt>Source</dt><dd>{{ r.source === 'external' ? 'An invoice outside Hisaab' : 'Invoices kept in Hisaab' }}</dd>
                <dt>Debtor's phone</dt><dd>{{ r.debtor_phone | phone }}</dd>
                <dt>Company page</dt><dd><a [routerLink]="['/business/registry/companies', r.company_id]">{{ r.company_name }}</a></dd>
                @if (r.note) {
                  <dt>Your note</dt><dd>{{ r.note }}</dd>
                }
              </dl>
            </mat-card>
            <mat-card appearance="outlined" class="box">
              <h2>Documents</h2>
              @if (r.documents.length) {
                <ul>
                  @for (d of r.documents; track d.upload_id) {
                    <li>
                      @if (d.url) {
                        <a [href]="d.url" target="_blank" rel="noopener">{{ kindText(d.kind) }}</a>
                      } @else {
                        {{ kindText(d.kind) }}
                      }
                      <span class="muted"> ({{ d.content_type }}, {{ kb(d.size_bytes) }} kB)</span>
                    </li>
                  }
                </ul>
              } @else {
                <p class="muted">No documents.</p>
              }
            </mat-card>
          </div>

          <h2>History</h2>
          <ol class="history">
            @for (h of r.history; track $index) {
              <li>
                <strong>{{ h.action | label }}</strong> · {{ h.from | label }} → {{ h.to | label }}
                <span class="muted">{{ h.role ? 'by ' + (h.role | label) + ', ' : '' }}{{ h.at | indianDateTime }}</span>
                @if (h.note) {
                  <div>“{{ h.note }}”</div>
                }
              </li>
            }
          </ol>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    h2 { font-size: 1.1rem; font-weight: 500; margin: 16px 0 8px; }
    .box h2, .dispute h2 { margin-top: 0; }
    .dispute h3 { font-size: 1rem; font-weight: 500; margin: 12px 0 4px; }
    .answer .wide { width: 100%; }
    .dispute { padding: 12px 16px; margin: 12px 0; border-color: #e0a800; background: #fffaf0; max-width: 880px; }
    .actions-bar { margin: 12px 0; }
    .actions button { min-height: 44px; }
    .fix { margin-top: 12px; max-width: 720px; }
    .fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 0 12px; }
    .wide { width: 100%; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; margin: 16px 0; }
    .box { padding: 12px 16px; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; overflow-wrap: anywhere; }
    table.plain { border-collapse: collapse; min-width: 560px; }
    table.plain th, table.plain td { padding: 6px 12px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ddd); text-align: left; }
    table.plain .num { text-align: right; }
    .history li { margin-bottom: 6px; }
    .chip.pending { background: #dae2f9; color: #001a41; }
    .chip.in_process { background: #fff1c7; color: #6b4e00; }
  `,
})
export class MyReport {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  readonly reportId = input.required<string>();
  readonly report = signal<Detail | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly actionError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly correcting = signal(false);
  readonly isOwner = computed(() => this.session.user()?.role === 'owner');
  readonly open = computed(() => OPEN.includes(this.report()?.status ?? ''));
  readonly unpaid = computed(() => this.report()?.invoices.filter((i) => !i.paid) ?? []);
  readonly explain = computed(() => {
    switch (this.report()?.status) {
      case 'pending':
        return 'Waiting for a reviewer. Other members do not see it yet.';
      case 'in_process':
        return 'A reviewer is looking into it.';
      case 'referred':
        return 'Referred to the senior team, who decide it.';
      case 'approved':
        return 'Listed in the registry: members see the amount due and the company’s rating counts it.';
      case 'rejected':
        return 'A reviewer rejected it: it is not listed.';
      case 'withdrawn':
        return 'Withdrawn at your request: it is no longer listed.';
      case 'removed':
        return 'Removed: the company’s dispute was upheld.';
      default:
        return '';
    }
  });

  /** The reporter's answer to an open dispute. */
  readonly answerForm = new FormGroup({ text: new FormControl('', { nonNullable: true }) });
  readonly answerDocs = signal<components['schemas']['DocumentRef'][]>([]);

  readonly fix = new FormGroup({
    corrections: new FormArray<FormGroup<{ number: FormControl<string>; amount: FormControl<string> }>>([]),
    reason: new FormControl('', { nonNullable: true }),
  });
  /** The `Idempotency-Key`s of the answer, the withdrawal and the correction. */
  private answerKey = newKey();
  private withdrawKey = newKey();
  private correctKey = newKey();

  constructor() {
    const carried = (history.state as { notice?: unknown } | null)?.notice;
    if (typeof carried === 'string') this.notice.set(carried);
    effect(() => {
      this.reportId();
      void this.load();
    });
  }

  kindText(kind: string): string {
    return KINDS.find((k) => k.kind === kind)?.text ?? kind;
  }

  kb(bytes: number): string {
    return Math.max(1, Math.round(bytes / 1024)).toString();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.report.set(await call(this.session.api.GET('/v1/registry/reports/{report_id}', { params: { path: { report_id: this.reportId() } } })));
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** `POST /v1/registry/reports/{id}/dispute/answer`: the reporter's side, once. */
  async answer(): Promise<void> {
    await this.act(async () => {
      try {
        await call(
          this.session.api.POST('/v1/registry/reports/{report_id}/dispute/answer', {
            params: { path: { report_id: this.reportId() }, header: { 'Idempotency-Key': this.answerKey } },
            body: { text: this.answerForm.controls.text.value, documents: this.answerDocs() },
          }),
        );
      } catch (e) {
        // Not recorded: the next attempt is a new request.
        if (refused(e)) this.answerKey = newKey();
        throw new Error(formMessage(this.answerForm, e));
      }
      this.notice.set('Your answer is sent to the reviewers.');
      await this.load();
    });
  }

  async markPaid(invoice: Invoice | null): Promise<void> {
    const answer = await this.confirm.ask({
      title: invoice ? `Mark ${invoice.number} paid?` : 'Mark every invoice paid?',
      message: 'The registry shows it paid at once and the company’s rating is updated.',
      action: 'Mark paid',
    });
    if (!answer) return;
    await this.act(async () => {
      await call(
        this.session.api.POST('/v1/registry/reports/{report_id}/paid', {
          params: { path: { report_id: this.reportId() } },
          body: invoice ? { invoice_numbers: [invoice.number] } : {},
        }),
      );
      this.notice.set(invoice ? `${invoice.number} is marked paid.` : 'Every invoice is marked paid.');
      await this.load();
    });
  }

  async withdraw(): Promise<void> {
    const answer = await this.confirm.ask({
      title: 'Ask to withdraw this report?',
      message: 'A reviewer removes it from the registry. A withdrawn report counts as wrongly raised.',
      action: 'Ask to withdraw',
      note: 'required',
      destructive: true,
    });
    if (!answer?.note) return;
    await this.act(async () => {
      try {
        await call(
          this.session.api.POST('/v1/registry/reports/{report_id}/edit-requests', {
            params: { path: { report_id: this.reportId() }, header: { 'Idempotency-Key': this.withdrawKey } },
            body: { kind: 'withdraw', reason: answer.note! },
          }),
        );
      } catch (e) {
        // Not recorded: the next attempt is a new request.
        if (refused(e)) this.withdrawKey = newKey();
        throw e;
      }
      this.withdrawKey = newKey();
      this.notice.set('Your request to withdraw is sent to the reviewers.');
      await this.load();
    });
  }

  startCorrect(): void {
    const r = this.report();
    if (!r) return;
    const list = this.fix.controls.corrections;
    list.clear();
    for (const i of r.invoices) {
      list.push(
        new FormGroup({
          number: new FormControl(i.number, { nonNullable: true }),
          amount: new FormControl(rupeesText(i.amount_paise), { nonNullable: true }),
        }),
      );
    }
    this.fix.controls.reason.setValue('');
    this.correcting.set(true);
  }

  async correct(): Promise<void> {
    const groups = this.fix.controls.corrections.controls;
    const corrections: { number: string; amount_paise: number }[] = [];
    for (const g of groups) {
      const amount = toPaise(g.controls.amount.value);
      if (amount === null) {
        g.controls.amount.setErrors({ api: 'Rupees, like 8475 or 8475.50' });
        g.controls.amount.markAsTouched();
        return;
      }
      corrections.push({ number: g.controls.number.value, amount_paise: amount });
    }
    await this.act(async () => {
      try {
        await call(
          this.session.api.POST('/v1/registry/reports/{report_id}/edit-requests', {
            params: { path: { report_id: this.reportId() }, header: { 'Idempotency-Key': this.correctKey } },
            body: { kind: 'correct', reason: this.fix.controls.reason.value.trim(), corrections },
          }),
        );
      } catch (e) {
        // Not recorded: the next attempt is a new request.
        if (refused(e)) this.correctKey = newKey();
        // `corrections[i].amount_paise` → the i-th amount field.
        for (const f of (e as { problem?: { errors?: { field: string; detail: string }[] } }).problem?.errors ?? []) {
          const m = /^corrections\[(\d+)\]/.exec(f.field);
          const control = m ? groups[Number(m[1])]?.controls.amount : null;
          if (control) {
            control.setErrors({ api: f.detail });
            control.markAsTouched();
          }
        }
        throw new Error(formMessage(this.fix, e));
      }
      this.correctKey = newKey();
      this.correcting.set(false);
      this.notice.set('Your correction is sent to the reviewers.');
      await this.load();
    });
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.notice.set(null);
    try {
      await action();
    } catch (e) {
      this.actionError.set(e instanceof Error && !('status' in e) ? e.message : describe(e));
    } finally {
      this.busy.set(false);
    }
  }
}
