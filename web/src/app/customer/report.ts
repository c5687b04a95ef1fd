import { LowerCasePipe } from '@angular/common';
import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../api/schema';
import { newKey } from '../core/files';
import { FORMAT_PIPES } from '../core/format.pipes';
import { ApiProblem, call, describe, formMessage, refused } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';

type Detail = components['schemas']['ReportDetail'];
type Kind = components['schemas']['DocumentKind'];
type ReportStatus = components['schemas']['ReportStatus'];

const KINDS: { kind: Kind; text: string }[] = [
  { kind: 'ledger_statement', text: 'Ledger statement or payment proof' },
  { kind: 'invoice_copy', text: 'Invoice copy' },
  { kind: 'purchase_order', text: 'Purchase order' },
  { kind: 'delivery_proof', text: 'Proof of delivery' },
];

const KIND_TEXT: Record<Kind, string> = {
  ledger_statement: 'Ledger statement',
  invoice_copy: 'Invoice copy',
  purchase_order: 'Purchase order',
  delivery_proof: 'Proof of delivery',
};

/** What a review status means to the reported person. */
const STATUS_TEXT: Record<ReportStatus, string> = {
  pending: 'Under review: other businesses do not see it yet.',
  in_process: 'Under review: Hisaab is checking it; other businesses do not see it yet.',
  referred: 'Under review by the senior team; other businesses do not see it yet.',
  approved: 'Listed in the registry: businesses that search for you see it.',
  rejected: 'Rejected by Hisaab: it is not listed.',
  withdrawn: 'Withdrawn by the business: it is not listed.',
  removed: 'Removed from the registry.',
};

/** One chosen file of the dispute and where its upload stands. */
interface Chosen {
  file: File;
  error: string | null;
  /** The `Idempotency-Key` of this file's upload slot: kept across retries of the same file. */
  key: string;
}

/**
 * `/customer/reports/:reportId`: a registry report that names the
 * customer (`GET /v1/registry/reports/{id}`) and its dispute
 * (`POST /v1/registry/reports/{id}/disputes`, with up to four documents
 * uploaded through `POST /v1/uploads`).
 */
@Component({
  selector: 'app-customer-report',
  imports: [LowerCasePipe, ReactiveFormsModule, RouterLink, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, ListState, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <p class="back"><a routerLink="/customer/reports">‹ Reports about me</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (report(); as r) {
          <div class="page-head">
            <h1>{{ r.reporter_name }} reported {{ r.amount_paise | rupees }}</h1>
          </div>
          <p>
            About <strong>{{ r.company_name }}</strong> · filed {{ r.created_at | indianDate }}
            <span class="chip {{ r.status }}">{{ reviewText[r.status] }}</span>
            <span class="chip {{ r.payment_status }}">{{ paymentText[r.payment_status] }}</span>
          </p>
          <p class="notice" role="status">{{ statusText[r.status] }}</p>

          <h2>Invoices reported</h2>
          <div>
            <table class="plain invoices" aria-label="Invoices reported">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Date</th>
                  <th scope="col">Due</th>
                  <th scope="col" class="num">Amount</th>
                  <th scope="col">Paid</th>
                </tr>
              </thead>
              <tbody>
                @for (i of r.invoices; track i.number) {
                  <tr>
                    <td class="lead">{{ i.number }}</td>
                    <td class="date">{{ i.invoice_date | indianDate }}</td>
                    <td class="due">{{ i.due_date | indianDate }}</td>
                    <td class="num amount">{{ i.amount_paise | rupees }}</td>
                    <td class="paid">{{ i.paid ? 'Paid ' + (i.paid_at | indianDate) : 'Unpaid' }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>

          @if (r.documents.length) {
            <h2>The business's documents</h2>
            <ul>
              @for (d of r.documents; track d.upload_id) {
                <li>
                  @if (d.url) {
                    <a [href]="d.url" target="_blank" rel="noopener">{{ kindText[d.kind] }}</a>
                  } @else {
                    {{ kindText[d.kind] }}
                  }
                </li>
              }
            </ul>
          }

          <h2>Your dispute</h2>
          @if (r.dispute; as d) {
            <mat-card appearance="outlined" class="dispute">
              <p><span class="chip {{ d.status }}">{{ d.status === 'open' ? 'Being reviewed' : (d.status | label) }}</span> Raised {{ d.created_at | indianDateTime }}</p>
              <p class="reason">{{ d.reason }}</p>
              @if (d.documents.length) {
                <ul>
                  @for (doc of d.documents; track doc.upload_id) {
                    <li>
                      @if (doc.url) {
                        <a [href]="doc.url" target="_blank" rel="noopener">{{ kindText[doc.kind] }}</a>
                      } @else {
                        {{ kindText[doc.kind] }}
                      }
                    </li>
                  }
                </ul>
              }
              @if (d.decision_note) {
                <p>Hisaab's note: {{ d.decision_note }}</p>
              }
              <p class="muted small">While it is reviewed, the invoices show as disputed to everyone who sees the report.</p>
            </mat-card>
          } @else if (open()) {
            <mat-card appearance="outlined" class="dispute">
              <form [formGroup]="form" (ngSubmit)="dispute()" novalidate>
                <p>If this report is wrong (you paid, the goods never came, it is not you), tell Hisaab why. An admin reviews it; an upheld dispute removes the report.</p>
                <mat-form-field appearance="outline" class="wide">
                  <mat-label>Why the report is wrong</mat-label>
                  <textarea matInput formControlName="reason" rows="4" maxlength="2000"></textarea>
                  <mat-hint>For example: paid by NEFT on 10 Sep, UTR 0912345678</mat-hint>
                  <mat-error>{{ form.controls.reason.getError('api') }}</mat-error>
                </mat-form-field>
                <fieldset class="documents">
                  <legend>Documents (optional)</legend>
                  @for (k of kinds; track k.kind; let i = $index) {
                    <div class="doc">
                      <label [for]="'doc-' + k.kind">{{ k.text }}</label>
                      <input
                        type="file"
                        [id]="'doc-' + k.kind"
                        accept="application/pdf,image/*"
                        (change)="choose(k.kind, $event)"
                        [attr.aria-describedby]="chosen()[k.kind]?.error ? 'doc-error-' + k.kind : null"
                      />
                      @if (chosen()[k.kind]?.error; as e) {
                        <span class="error-text small" [id]="'doc-error-' + k.kind" role="alert">{{ e }}</span>
                      }
                    </div>
                  }
                </fieldset>
                @if (formError(); as m) {
                  <p class="error-text" role="alert">{{ m }}</p>
                }
                <div class="actions">
                  <button mat-flat-button type="submit" [disabled]="saving()">{{ saving() ? 'Sending…' : 'Send dispute' }}</button>
                </div>
              </form>
            </mat-card>
          } @else {
            <p class="muted">This report is {{ r.status | label | lowercase }}: there is nothing to dispute.</p>
          }
          @if (notice(); as n) {
            <p class="notice" role="status">{{ n }}</p>
          }

          <h2>What happened</h2>
          <ol class="history">
            @for (h of r.history; track $index) {
              <li>{{ h.at | indianDateTime }} · {{ action(h.action) }}</li>
            }
          </ol>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .back { margin: 0 0 8px; }
    h2 { font-size: 1.15rem; font-weight: 500; margin: 20px 0 8px; }
    .chip { margin-left: 6px; }
    .chip.pending, .chip.in_process { background: #fff1c7; color: #6b4e00; }
    table.plain { border-collapse: collapse; width: 100%; }
    table.plain th, table.plain td { padding: 8px 10px; border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0); text-align: left; }
    table.plain th { font-weight: 500; color: var(--mat-sys-on-surface-variant, #555); font-size: 0.9rem; }
    table.plain .num { text-align: right; }
    .dispute { padding: 16px; max-width: 720px; }
    .wide { width: 100%; }
    .documents { border: 1px solid var(--mat-sys-outline-variant, #c4c6d0); border-radius: 8px; padding: 8px 12px 12px; margin: 12px 0; }
    .doc { display: flex; flex-direction: column; gap: 2px; margin-top: 8px; }
    .doc label { font-size: 0.9rem; }
    .doc input { max-width: 100%; }
    .reason { white-space: pre-wrap; }
    .small { font-size: 0.85rem; }
    .history { padding-left: 20px; }
    .history li { margin-bottom: 4px; }
    @media (max-width: 600px) {
      table.invoices thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); }
      table.invoices, table.invoices tbody { display: block; }
      table.invoices tr {
        display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; padding: 8px 2px;
        border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
      }
      table.invoices td { display: block; border: none; padding: 0; text-align: left; }
      table.invoices .lead { font-weight: 500; }
      table.invoices td.amount { grid-column: 2; grid-row: 1; text-align: right; font-weight: 500; }
      table.invoices .date::before { content: 'Dated '; color: var(--mat-sys-on-surface-variant, #555); }
      table.invoices .due::before { content: 'Due '; color: var(--mat-sys-on-surface-variant, #555); }
      table.invoices .due { grid-column: 2; grid-row: 2; text-align: right; }
      table.invoices .paid { grid-column: 1 / -1; color: var(--mat-sys-on-surface-variant, #555); }
    }
  `,
})
export class ReportPage {
  private readonly session = inject(Session);
  /** From the route: `/customer/reports/:reportId`. */
  readonly reportId = input.required<string>();
  readonly report = signal<Detail | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly chosen = signal<Partial<Record<Kind, Chosen>>>({});
  readonly kinds = KINDS;
  readonly kindText = KIND_TEXT;
  readonly statusText = STATUS_TEXT;
  readonly reviewText: Record<ReportStatus, string> = {
    pending: 'Under review',
    in_process: 'Under review',
    referred: 'Under review',
    approved: 'Listed',
    rejected: 'Rejected',
    withdrawn: 'Withdrawn',
    removed: 'Removed',
  };
  readonly paymentText: Record<components['schemas']['ReportPaymentStatus'], string> = {
    pending: 'Unpaid',
    disputed: 'Disputed',
    paid: 'Paid',
  };
  readonly form = new FormGroup({ reason: new FormControl('', { nonNullable: true }) });
  private key = newKey();
  /** Whether the report can still be disputed: open for review or listed, with no open dispute. */
  readonly open = computed(() => {
    const r = this.report();
    return !!r && !r.dispute_id && ['pending', 'in_process', 'referred', 'approved'].includes(r.status);
  });

  constructor() {
    effect(() => {
      this.reportId();
      untracked(() => void this.load());
    });
  }

  action(a: string): string {
    const known: Record<string, string> = {
      created: 'Reported to Hisaab',
      approve: 'Approved and listed',
      in_process: 'Being checked',
      refer: 'Referred to the senior team',
      reject: 'Rejected',
      paid: 'Marked paid',
      disputed: 'You disputed it',
      dispute_upheld: 'Your dispute was upheld: the report is removed',
      dispute_dismissed: 'Your dispute was dismissed',
      edit_requested: 'The business asked to change it',
      withdrawn: 'Withdrawn by the business',
      corrected: 'Corrected by the business',
      edit_rejected: 'The business’s change was refused',
    };
    return known[a] ?? a;
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const r = await call(this.session.api.GET('/v1/registry/reports/{report_id}', { params: { path: { report_id: this.reportId() } } }));
      this.report.set(r);
    } catch (e) {
      this.report.set(null);
      this.error.set(
        e instanceof ApiProblem && e.status === 404
          ? 'No report with this number names you. Check the number in the SMS: the report must name your phone number.'
          : describe(e),
      );
    } finally {
      this.loading.set(false);
    }
  }

  choose(kind: Kind, event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    this.chosen.update((c) => {
      const next = { ...c };
      if (file) next[kind] = { file, error: null, key: newKey() };
      else delete next[kind];
      return next;
    });
  }

  /** Uploads each chosen file (`POST /v1/uploads`, then a PUT); the references, or null when one failed. */
  private async upload(): Promise<{ kind: Kind; upload_id: string }[] | null> {
    const refs: { kind: Kind; upload_id: string }[] = [];
    let failed = false;
    for (const { kind } of KINDS) {
      const c = this.chosen()[kind];
      if (!c) continue;
      let key = c.key;
      try {
        const slot = await call(
          this.session.api.POST('/v1/uploads', {
            params: { header: { 'Idempotency-Key': key } },
            body: { content_type: c.file.type || 'application/octet-stream', size_bytes: c.file.size },
          }),
        );
        const put = await fetch(slot.url, { method: slot.method, headers: { 'Content-Type': slot.content_type }, body: c.file });
        if (!put.ok) {
          // The link refused the file (expired, say): a replay gives the same link, so a new key.
          if (put.status < 500) key = newKey();
          throw new Error(`upload answered ${put.status}`);
        }
        refs.push({ kind, upload_id: slot.id });
      } catch (e) {
        failed = true;
        if (refused(e)) key = newKey();
        const message =
          e instanceof ApiProblem && e.problem?.errors?.length
            ? e.problem.errors.map((f) => f.detail).join('; ')
            : e instanceof ApiProblem
              ? describe(e)
              : 'The file could not be uploaded. Try again.';
        this.chosen.update((all) => ({ ...all, [kind]: { ...c, key, error: `${c.file.name}: ${message}` } }));
      }
    }
    return failed ? null : refs;
  }

  async dispute(): Promise<void> {
    this.saving.set(true);
    this.formError.set(null);
    this.chosen.update((all) => Object.fromEntries(Object.entries(all).map(([k, c]) => [k, { ...c, error: null }])));
    try {
      const documents = await this.upload();
      if (!documents) {
        this.formError.set('A document could not be uploaded: see the message next to it.');
        return;
      }
      await call(
        this.session.api.POST('/v1/registry/reports/{report_id}/disputes', {
          params: { path: { report_id: this.reportId() }, header: { 'Idempotency-Key': this.key } },
          body: { reason: this.form.controls.reason.value, documents },
        }),
      );
      this.key = newKey();
      this.chosen.set({});
      this.form.reset();
      await this.load();
      this.notice.set('Your dispute is sent. Hisaab reviews it; until then the invoices show as disputed.');
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }
}
