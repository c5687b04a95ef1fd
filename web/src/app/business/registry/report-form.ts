import { Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, FormsModule, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { debounceTime, distinctUntilChanged, from, of, switchMap } from 'rxjs';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, applyFieldErrors, call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { DocumentRef, DocumentUploads } from './documents';
import { RegistryNav } from './nav';

type Invoice = components['schemas']['InvoiceSummary'];
type Customer = components['schemas']['Customer'];
type NewReport = components['schemas']['NewReport'];

/** A customer with overdue invoices. */
interface Debtor {
  customer_id: string;
  name: string;
  invoices: Invoice[];
  due: number;
}

/** Rupees typed by a person → paise, or null. */
function paise(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.replace(/[,₹\s]/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** A request field of `POST /v1/registry/reports` as the form calls it. */
function fieldName(field: string): string {
  const invoice = /^invoice_ids\[(\d+)\]/.exec(field);
  if (invoice) return `Invoice ${Number(invoice[1]) + 1}`;
  const doc = /^documents\[(\d+)\]/.exec(field);
  if (doc) return `Document ${Number(doc[1]) + 1}`;
  const names: Record<string, string> = {
    customer_id: 'Customer',
    invoice_ids: 'Invoices',
    company: 'Company',
    documents: 'Documents',
    invoice_number: 'Invoice number',
    note: 'Note',
  };
  return names[field] ?? field;
}

function daysLate(due: string): number {
  return Math.max(0, Math.floor((Date.now() - new Date(`${due}T00:00:00+05:30`).getTime()) / 86_400_000));
}

/**
 * Report a default (`/business/registry/report`): overdue invoices of one
 * of the business's customers, or an invoice kept outside Hisaab; with up
 * to four documents uploaded from the browser and a note for reviewers.
 */
@Component({
  selector: 'app-report-form',
  imports: [
    FormsModule,
    ReactiveFormsModule,
    RouterLink,
    MatAutocompleteModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ListState,
    DocumentUploads,
    RegistryNav,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <app-registry-nav />
      <div class="page-head"><h1>Report a default</h1></div>
      <p class="muted lead">
        Hisaab's reviewers check every report before other members see it. The company is told and can dispute it, and a wrong
        report counts against your business. Report only money that is truly owed and past its due date.
      </p>
      @if (!isOwner()) {
        <p class="notice" role="status">Only the business owner files reports. You can search the registry and see the business's reports.</p>
      }

      <mat-button-toggle-group [value]="mode()" (change)="mode.set($event.value)" aria-label="What to report" class="mode" hideSingleSelectionIndicator>
        <mat-button-toggle value="invoices">My overdue invoices</mat-button-toggle>
        <mat-button-toggle value="external">An invoice outside Hisaab</mat-button-toggle>
      </mat-button-toggle-group>

      <mat-card appearance="outlined" class="box">
        @if (mode() === 'invoices') {
          <app-list-state [loading]="loadingDebtors()" [error]="debtorsError()" [empty]="debtors().length === 0" emptyText="No invoice of yours is overdue: nothing to report from Hisaab's books." (retry)="loadDebtors()">
            <mat-form-field appearance="outline" class="wide">
              <mat-label>Customer</mat-label>
              <mat-select [value]="debtorId()" (selectionChange)="pickDebtor($event.value)">
                @for (d of debtors(); track d.customer_id) {
                  <mat-option [value]="d.customer_id">{{ d.name }} · {{ d.invoices.length }} overdue · {{ d.due | rupees }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            @if (debtor(); as d) {
              <fieldset class="invoices">
                <legend>Overdue invoices of {{ d.name }}</legend>
                @for (i of d.invoices; track i.id) {
                  <mat-checkbox [checked]="chosen().has(i.id)" (change)="toggle(i.id, $event.checked)">
                    <span class="inv">
                      <strong>{{ i.number ?? 'Draft' }}</strong> · {{ i.balance_due | rupees }} due
                      <span class="muted">· dated {{ i.invoice_date | indianDate }}, due {{ i.due_date | indianDate }} ({{ daysLate(i.due_date) }} days late)</span>
                    </span>
                  </mat-checkbox>
                }
                <p class="total">Reported: <strong>{{ chosenDue() | rupees }}</strong> on {{ chosen().size }} {{ chosen().size === 1 ? 'invoice' : 'invoices' }}</p>
              </fieldset>
            }
          </app-list-state>
        } @else {
          <form [formGroup]="outside" novalidate>
            <mat-button-toggle-group [value]="debtorKind()" (change)="debtorKind.set($event.value)" aria-label="Who owes" class="kind" hideSingleSelectionIndicator>
              <mat-button-toggle value="customer">One of my customers</mat-button-toggle>
              <mat-button-toggle value="company">Another company</mat-button-toggle>
            </mat-button-toggle-group>
            <div class="fields">
              @if (debtorKind() === 'customer') {
                <mat-form-field appearance="outline" class="span2">
                  <mat-label>Customer</mat-label>
                  <input matInput formControlName="customer_id" [matAutocomplete]="auto" placeholder="Type a name or phone" />
                  <mat-autocomplete #auto="matAutocomplete" [displayWith]="customerName">
                    @for (c of customers(); track c.id) {
                      <mat-option [value]="c">{{ c.name }}{{ c.gstin ? ' · ' + c.gstin : '' }}</mat-option>
                    }
                  </mat-autocomplete>
                  <mat-error>{{ outside.controls.customer_id.getError('api') }}</mat-error>
                </mat-form-field>
              } @else {
                <ng-container formGroupName="company">
                  <mat-form-field appearance="outline" class="span2">
                    <mat-label>Company name</mat-label>
                    <input matInput formControlName="name" maxlength="120" />
                    <mat-error>{{ outside.get('company.name')?.getError('api') }}</mat-error>
                  </mat-form-field>
                  <mat-form-field appearance="outline">
                    <mat-label>GSTIN</mat-label>
                    <input matInput formControlName="gstin" maxlength="15" class="caps" />
                    <mat-error>{{ outside.get('company.gstin')?.getError('api') }}</mat-error>
                  </mat-form-field>
                  <mat-form-field appearance="outline">
                    <mat-label>PAN</mat-label>
                    <input matInput formControlName="pan" maxlength="10" class="caps" />
                    <mat-error>{{ outside.get('company.pan')?.getError('api') }}</mat-error>
                  </mat-form-field>
                  <mat-form-field appearance="outline">
                    <mat-label>Phone</mat-label>
                    <input matInput formControlName="phone" type="tel" />
                    <mat-error>{{ outside.get('company.phone')?.getError('api') }}</mat-error>
                  </mat-form-field>
                  <mat-form-field appearance="outline">
                    <mat-label>Email (for the notice)</mat-label>
                    <input matInput formControlName="email" type="email" />
                    <mat-error>{{ outside.get('company.email')?.getError('api') }}</mat-error>
                  </mat-form-field>
                  <mat-form-field appearance="outline">
                    <mat-label>City</mat-label>
                    <input matInput formControlName="city" />
                    <mat-error>{{ outside.get('company.city')?.getError('api') }}</mat-error>
                  </mat-form-field>
                </ng-container>
                @if (outside.get('company')?.getError('api'); as e) {
                  <p class="error-text span2">{{ e }}</p>
                }
              }
              <mat-form-field appearance="outline">
                <mat-label>Invoice number</mat-label>
                <input matInput formControlName="invoice_number" />
                <mat-error>{{ outside.controls.invoice_number.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Invoice date</mat-label>
                <input matInput type="date" formControlName="invoice_date" />
                <mat-error>{{ outside.controls.invoice_date.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Due date</mat-label>
                <input matInput type="date" formControlName="due_date" />
                <mat-error>{{ outside.controls.due_date.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Amount still due (₹)</mat-label>
                <input matInput formControlName="amount_due_paise" inputmode="decimal" />
                <mat-error>{{ outside.controls.amount_due_paise.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
          </form>
        }

        <app-document-uploads #docs (changed)="documents.set($event)" />

        <mat-form-field appearance="outline" class="wide">
          <mat-label>Note for the reviewers (optional)</mat-label>
          <textarea matInput [formControl]="note" rows="3" maxlength="1000"></textarea>
          <mat-error>{{ note.getError('api') }}</mat-error>
        </mat-form-field>
        @if (message(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        <div class="actions">
          <button mat-flat-button type="button" (click)="submit()" [disabled]="busy() || docs.uploading() || !isOwner()">
            {{ busy() ? 'Filing…' : 'File the report' }}
          </button>
          <a mat-button routerLink="/business/registry/reports">Cancel</a>
        </div>
      </mat-card>
    </div>
  `,
  styles: `
    .lead { max-width: 760px; }
    .mode { margin: 4px 0 12px; max-width: 560px; width: 100%; }
    .kind { margin-bottom: 12px; max-width: 560px; width: 100%; }
    .mode .mat-button-toggle, .kind .mat-button-toggle { flex: 1 1 0; min-height: 44px; }
    .mode ::ng-deep .mat-button-toggle-label-content, .kind ::ng-deep .mat-button-toggle-label-content {
      white-space: normal; line-height: 1.25; padding: 10px 12px;
    }
    .mat-button-toggle-checked { font-weight: 600; }
    .box { padding: 16px; max-width: 880px; }
    .wide { width: 100%; }
    .fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 0 12px; }
    .span2 { grid-column: 1 / -1; }
    .caps input, input.caps { text-transform: uppercase; }
    .invoices { border: 0; padding: 0; margin: 0 0 8px; display: flex; flex-direction: column; gap: 4px; }
    .invoices legend { font-weight: 500; margin-bottom: 4px; }
    .inv { white-space: normal; }
    .total { margin: 8px 0 0; }
  `,
})
export class ReportForm {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  readonly daysLate = daysLate;

  /** `?customer_id=` preselects the customer whose invoices are reported. */
  readonly customer_id = input<string>();
  readonly isOwner = computed(() => this.session.user()?.role === 'owner');
  readonly mode = signal<'invoices' | 'external'>('invoices');
  readonly debtorKind = signal<'customer' | 'company'>('company');

  readonly debtors = signal<Debtor[]>([]);
  readonly loadingDebtors = signal(true);
  readonly debtorsError = signal<string | null>(null);
  readonly debtorId = signal<string | null>(null);
  readonly debtor = computed(() => this.debtors().find((d) => d.customer_id === this.debtorId()) ?? null);
  readonly chosen = signal<Set<string>>(new Set());
  readonly chosenDue = computed(() =>
    (this.debtor()?.invoices ?? []).filter((i) => this.chosen().has(i.id)).reduce((sum, i) => sum + i.balance_due, 0),
  );
  readonly customers = signal<Customer[]>([]);
  readonly documents = signal<DocumentRef[]>([]);
  readonly busy = signal(false);
  readonly message = signal<string | null>(null);
  private idempotencyKey = crypto.randomUUID();

  readonly outside = new FormGroup({
    customer_id: new FormControl<Customer | string>('', { nonNullable: true }),
    company: new FormGroup({
      name: new FormControl('', { nonNullable: true }),
      gstin: new FormControl('', { nonNullable: true }),
      pan: new FormControl('', { nonNullable: true }),
      phone: new FormControl('', { nonNullable: true }),
      email: new FormControl('', { nonNullable: true }),
      city: new FormControl('', { nonNullable: true }),
    }),
    invoice_number: new FormControl('', { nonNullable: true }),
    invoice_date: new FormControl('', { nonNullable: true }),
    due_date: new FormControl('', { nonNullable: true }),
    amount_due_paise: new FormControl('', { nonNullable: true }),
  });
  readonly note = new FormControl('', { nonNullable: true });
  private readonly extra = new FormGroup({ note: this.note });

  constructor() {
    this.outside.controls.customer_id.valueChanges
      .pipe(
        debounceTime(200),
        distinctUntilChanged(),
        switchMap((v) =>
          typeof v !== 'string' || !v.trim()
            ? of(null)
            : from(call(this.session.api.GET('/v1/customers', { params: { query: { q: v.trim(), limit: 10 } } })).catch(() => null)),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((page) => page && this.customers.set(page.items));
    void this.loadDebtors();
    effect(() => {
      const id = this.customer_id();
      if (id && this.debtors().some((d) => d.customer_id === id)) this.pickDebtor(id);
    });
  }

  customerName = (c: Customer | string | null): string => (typeof c === 'string' ? c : (c?.name ?? ''));

  async loadDebtors(): Promise<void> {
    this.loadingDebtors.set(true);
    this.debtorsError.set(null);
    try {
      const invoices: Invoice[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(this.session.api.GET('/v1/invoices', { params: { query: { status: 'overdue', limit: 100, cursor } } }));
        invoices.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor && invoices.length < 1000);
      const groups = new Map<string, Debtor>();
      for (const i of invoices) {
        const g = groups.get(i.customer_id) ?? { customer_id: i.customer_id, name: i.customer_name, invoices: [], due: 0 };
        g.invoices.push(i);
        g.due += i.balance_due;
        groups.set(i.customer_id, g);
      }
      const list = [...groups.values()].sort((a, b) => b.due - a.due);
      for (const g of list) g.invoices.sort((a, b) => a.due_date.localeCompare(b.due_date));
      this.debtors.set(list);
      if (!this.debtorId() && list.length === 1) this.pickDebtor(list[0].customer_id);
    } catch (e) {
      this.debtorsError.set(describe(e));
    } finally {
      this.loadingDebtors.set(false);
    }
  }

  pickDebtor(id: string): void {
    this.debtorId.set(id);
    const d = this.debtors().find((x) => x.customer_id === id);
    // Every overdue invoice is chosen at first; untick what should not be reported.
    this.chosen.set(new Set(d?.invoices.map((i) => i.id) ?? []));
  }

  toggle(id: string, on: boolean): void {
    this.chosen.update((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async submit(): Promise<void> {
    this.message.set(null);
    let body: NewReport;
    const documents = this.documents();
    const note = this.note.value.trim() || null;
    if (this.mode() === 'invoices') {
      body = { customer_id: this.debtorId(), invoice_ids: [...this.chosen()], documents, note };
    } else {
      const v = this.outside.getRawValue();
      const amount = v.amount_due_paise.trim() ? paise(v.amount_due_paise) : null;
      if (v.amount_due_paise.trim() && amount === null) {
        this.outside.controls.amount_due_paise.setErrors({ api: 'Rupees, like 84750 or 84750.50' });
        this.outside.controls.amount_due_paise.markAsTouched();
        return;
      }
      const customer = typeof v.customer_id === 'string' ? null : v.customer_id;
      const c = v.company;
      const clean = (s: string) => s.trim() || null;
      body = {
        ...(this.debtorKind() === 'customer'
          ? { customer_id: customer?.id ?? null }
          : {
              company: {
                name: c.name.trim(),
                gstin: clean(c.gstin.toUpperCase()),
                pan: clean(c.pan.toUpperCase()),
                phone: clean(c.phone),
                email: clean(c.email),
                city: clean(c.city),
              },
            }),
        invoice_number: clean(v.invoice_number),
        invoice_date: v.invoice_date || null,
        due_date: v.due_date || null,
        amount_due_paise: amount,
        documents,
        note,
      };
    }
    this.busy.set(true);
    try {
      const report = await call(
        this.session.api.POST('/v1/registry/reports', { params: { header: { 'Idempotency-Key': this.idempotencyKey } }, body }),
      );
      this.idempotencyKey = crypto.randomUUID();
      await this.router.navigate(['/business/registry/reports', report.id], {
        state: { notice: `Your report about ${report.company_name} is filed. It is listed once a reviewer approves it.` },
      });
    } catch (e) {
      // Field errors go next to their fields; the rest (the invoices
      // picked, the documents) are said above the button.
      // What neither form has a field for is said above the button.
      let rest = applyFieldErrors(this.extra, e);
      if (this.mode() === 'external') {
        const outsideRest = new Set(applyFieldErrors(this.outside, e));
        rest = rest.filter((r) => outsideRest.has(r));
      }
      if (e instanceof ApiProblem && e.problem?.errors?.length) {
        const shown = new Set(rest);
        const lines = (e.problem.errors ?? [])
          .filter((f) => shown.has(`${f.field}: ${f.detail}`))
          .map((f) => `${fieldName(f.field)}: ${f.detail}`);
        this.message.set(lines.length ? [...new Set(lines)].join('. ') + '.' : 'Please correct the fields marked in red.');
      } else {
        this.message.set(describe(e));
      }
    } finally {
      this.busy.set(false);
    }
  }
}
