import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import {
  AbstractControl,
  FormArray,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import {
  Customer,
  GST_RATES,
  Invoice,
  InvoiceDetail,
  LineInput,
  Product,
  invoiceFormMessage,
} from './billing';
import { todayIn } from '../../core/dates';
import { newKey } from '../../core/files';
import {
  Discount,
  LineFigures,
  bpToPercent,
  defaultPlaceOfSupply,
  lineFigures,
  paiseToRupees,
  parseQuantity,
  percentToBp,
  rupeesToPaise,
  supplyOf,
  totals,
} from './compute';
import { CustomerPicker } from './customer-picker';
import { GST_STATES, stateName } from './gst-states';
import { ProductPicker } from './product-picker';

type Settings = components['schemas']['Settings'];

/** Accepts what `parse` reads (and, with `positive`, only more than 0); empty passes (`required` says that). */
function parses(parse: (raw: string) => number | null, message: string, positive = false) {
  return (c: AbstractControl<string>): ValidationErrors | null => {
    const raw = (c.value ?? '').trim();
    if (!raw) return null;
    const v = parse(raw);
    return v === null || (positive && v <= 0) ? { format: message } : null;
  };
}

function lineGroup() {
  return new FormGroup({
    product_id: new FormControl<string | null>(null),
    description: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    hsn_sac: new FormControl('', { nonNullable: true }),
    unit: new FormControl('', { nonNullable: true }),
    quantity: new FormControl('1', {
      nonNullable: true,
      validators: [
        Validators.required,
        parses(parseQuantity, 'More than 0, at most 3 decimals', true),
      ],
    }),
    unit_price: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, parses(rupeesToPaise, 'Rupees, at most 2 decimals')],
    }),
    discount: new FormControl('', { nonNullable: true }),
    discount_kind: new FormControl<'percent' | 'amount'>('percent', { nonNullable: true }),
    tax_rate_bp: new FormControl(0, { nonNullable: true }),
  });
}
type LineGroup = ReturnType<typeof lineGroup>;
type LineValue = LineGroup['value'];

/** A line's discount as the API takes it; `undefined` when what was typed is not a number. */
function discountOf(v: LineValue): Discount | undefined {
  const raw = (v.discount ?? '').trim();
  if (!raw) return null;
  if (v.discount_kind === 'percent') {
    const bp = percentToBp(raw);
    return bp === null ? undefined : { rate_bp: bp };
  }
  const paise = rupeesToPaise(raw);
  return paise === null ? undefined : { paise };
}

/** The figures of a line, or null while it is incomplete. */
function figuresOf(v: LineValue, supply: 'intra_state' | 'inter_state'): LineFigures | null {
  const q = parseQuantity(v.quantity ?? '');
  const price = rupeesToPaise(v.unit_price ?? '');
  const discount = discountOf(v);
  if (q === null || q <= 0 || price === null || discount === undefined) return null;
  return lineFigures(
    { quantity_milli: q, unit_price: price, discount, tax_rate_bp: v.tax_rate_bp ?? 0 },
    supply,
  );
}

/** `date` plus `days`, both `yyyy-mm-dd`. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The billing form: a new invoice (`/business/invoices/new`, optional
 * `?customer_id=`) or a change to a draft or an unpaid invoice
 * (`/business/invoices/:invoiceId/edit`). Lines from the catalogue or free
 * text; the totals, CGST + SGST or IGST and the customer's previous
 * balance are shown live exactly as the API will compute them
 * ([`compute.ts`](./compute.ts)).
 */
@Component({
  selector: 'app-invoice-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ListState,
    CustomerPicker,
    ProductPicker,
    ...FORMAT_PIPES,
  ],
  templateUrl: './invoice-form.html',
  styleUrl: './invoice-form.css',
})
export class InvoiceForm {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  /** From the route when editing. */
  readonly invoiceId = input<string>();
  /** `?customer_id=` of a new invoice. */
  readonly customer_id = input<string>();

  readonly states = GST_STATES;
  readonly stateName = stateName;
  readonly percent = bpToPercent;

  readonly loading = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly settings = signal<Settings | null>(null);
  readonly customer = signal<Customer | null>(null);
  /** The invoice edited (null for a new one). */
  readonly editing = signal<Invoice | null>(null);
  /** Sent as `Idempotency-Key`: the same while the form is unchanged, so a double click bills once. */
  private key = newKey();

  readonly form = new FormGroup({
    customer_id: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    invoice_date: new FormControl(todayIn(), {
      nonNullable: true,
      validators: [Validators.required],
    }),
    due_date: new FormControl('', { nonNullable: true }),
    place_of_supply: new FormControl('', { nonNullable: true }),
    notes: new FormControl('', { nonNullable: true }),
    lines: new FormArray<LineGroup>([]),
  });
  /** Bumped on every change of the form, for the computed figures below. */
  private readonly changes = signal(0);

  /** The business's own GST state (from its GSTIN); null without one. */
  readonly ownState = computed(() => this.settings()?.gstin?.slice(0, 2) ?? null);
  /** Whether the business's settings could be read. */
  readonly knowsSettings = computed(() => this.settings() !== null);
  readonly placeOfSupply = computed(() => {
    this.changes();
    return (
      this.form.controls.place_of_supply.value ||
      defaultPlaceOfSupply(this.customer()?.gstin, this.ownState())
    );
  });
  readonly supply = computed(() => supplyOf(this.ownState(), this.placeOfSupply()));
  readonly autoPlace = computed(() =>
    defaultPlaceOfSupply(this.customer()?.gstin, this.ownState()),
  );
  readonly lineFigures = computed(() => {
    this.changes();
    const supply = this.supply();
    return this.form.controls.lines.controls.map((g) => figuresOf(g.getRawValue(), supply));
  });
  readonly totals = computed(() =>
    totals(this.lineFigures().filter((f): f is LineFigures => f !== null)),
  );
  readonly incomplete = computed(() => this.lineFigures().some((f) => f === null));
  readonly defaultDue = computed(() => {
    this.changes();
    const terms = this.settings()?.payment_terms_days;
    const date = this.form.controls.invoice_date.value;
    return terms === undefined || !date ? null : { date: addDays(date, terms), terms };
  });
  /** What the customer owed before this invoice (an issued one being changed already counts in the balance). */
  readonly previousBalance = computed(() => {
    const c = this.customer();
    if (!c) return null;
    const e = this.editing();
    return c.balance - (e && e.status !== 'draft' && e.status !== 'cancelled' ? e.balance_due : 0);
  });
  readonly isDraft = computed(() => !this.editing() || this.editing()?.status === 'draft');
  readonly title = computed(() => {
    const e = this.editing();
    if (!e) return 'New invoice';
    return e.number ? `Edit ${e.number}` : 'Edit draft invoice';
  });

  constructor() {
    this.form.valueChanges.subscribe(() => {
      this.changes.update((n) => n + 1);
      this.key = newKey();
    });
    void this.loadSettings();
    effect(() => {
      const id = this.invoiceId();
      const customerId = this.customer_id();
      untracked(() => void (id ? this.loadInvoice(id) : this.start(customerId)));
    });
  }

  get lines(): FormArray<LineGroup> {
    return this.form.controls.lines;
  }

  private async loadSettings(): Promise<void> {
    try {
      this.settings.set(await call(this.session.api.GET('/v1/business/settings')));
    } catch {
      this.settings.set(null);
    }
  }

  private async start(customerId: string | undefined): Promise<void> {
    this.editing.set(null);
    if (!this.lines.length) this.addLine();
    if (customerId) {
      try {
        this.pick(
          await call(
            this.session.api.GET('/v1/customers/{customer_id}', {
              params: { path: { customer_id: customerId } },
            }),
          ),
        );
      } catch (e) {
        this.formError.set(describe(e));
      }
    }
  }

  async loadInvoice(id: string): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const invoice: InvoiceDetail = await call(
        this.session.api.GET('/v1/invoices/{invoice_id}', { params: { path: { invoice_id: id } } }),
      );
      this.editing.set(invoice);
      this.lines.clear({ emitEvent: false });
      for (const l of invoice.lines) {
        const g = lineGroup();
        g.setValue({
          product_id: l.product_id ?? null,
          description: l.description,
          hsn_sac: l.hsn_sac ?? '',
          unit: l.unit,
          quantity: l.quantity,
          unit_price: paiseToRupees(l.unit_price),
          discount:
            l.discount_rate_bp !== null && l.discount_rate_bp !== undefined
              ? bpToPercent(l.discount_rate_bp)
              : l.discount
                ? paiseToRupees(l.discount)
                : '',
          discount_kind:
            l.discount_rate_bp !== null && l.discount_rate_bp !== undefined
              ? 'percent'
              : l.discount
                ? 'amount'
                : 'percent',
          tax_rate_bp: l.tax_rate_bp,
        });
        this.lines.push(g, { emitEvent: false });
      }
      this.form.patchValue({
        customer_id: invoice.customer_id,
        invoice_date: invoice.invoice_date,
        due_date: invoice.due_date,
        place_of_supply: invoice.place_of_supply ?? '',
        notes: invoice.notes ?? '',
      });
      this.customer.set(
        await call(
          this.session.api.GET('/v1/customers/{customer_id}', {
            params: { path: { customer_id: invoice.customer_id } },
          }),
        ),
      );
    } catch (e) {
      this.loadError.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  pick(customer: Customer | null): void {
    this.customer.set(customer);
    this.form.controls.customer_id.setValue(customer?.id ?? '');
    this.form.controls.customer_id.markAsTouched();
  }

  addLine(product?: Product): void {
    const g = lineGroup();
    g.controls.tax_rate_bp.setValue(this.settings()?.default_tax_rate_bp ?? 0);
    if (product) {
      g.patchValue({
        product_id: product.id,
        description: product.name,
        hsn_sac: product.hsn_sac ?? '',
        unit: product.unit,
        unit_price: paiseToRupees(product.unit_price),
        tax_rate_bp: product.tax_rate_bp,
      });
    }
    // A blank first line is replaced by the first product picked.
    const only = this.lines.length === 1 ? this.lines.at(0).getRawValue() : null;
    if (product && only && !only.description && !only.unit_price && !only.product_id)
      this.lines.removeAt(0);
    this.lines.push(g);
    if (!product)
      setTimeout(() =>
        document.getElementById(`line-${this.lines.length - 1}-description`)?.focus(),
      );
  }

  removeLine(i: number): void {
    this.lines.removeAt(i);
  }

  /** The GST rates to offer on a line: the usual ones and the line's own. */
  ratesFor(i: number): number[] {
    const own = this.lines.at(i).controls.tax_rate_bp.value;
    return GST_RATES.includes(own) ? GST_RATES : [...GST_RATES, own].sort((a, b) => a - b);
  }

  errorOf(c: AbstractControl): string | null {
    return (
      (c.getError('api') as string | undefined) ??
      (c.getError('format') as string | undefined) ??
      (c.hasError('required') ? 'Required' : null)
    );
  }

  private lineInputs(): LineInput[] {
    return this.lines.controls.map((g) => {
      const v = g.getRawValue();
      const discount = discountOf(v);
      return {
        product_id: v.product_id,
        description: v.description.trim(),
        hsn_sac: v.hsn_sac.trim() || null,
        unit: v.unit.trim() || null,
        quantity: v.quantity.trim().replace(/,/g, ''),
        unit_price: rupeesToPaise(v.unit_price),
        discount: discount && 'paise' in discount ? discount.paise : null,
        discount_rate_bp: discount && 'rate_bp' in discount ? discount.rate_bp : null,
        tax_rate_bp: v.tax_rate_bp,
      };
    });
  }

  /** Saves a draft (`issue` false) or issues the invoice; then shows it. */
  async save(issue: boolean): Promise<void> {
    this.form.markAllAsTouched();
    this.formError.set(null);
    if (!this.lines.length) {
      this.formError.set('Add at least one line.');
      return;
    }
    if (this.form.invalid) {
      this.formError.set(
        this.form.controls.customer_id.invalid
          ? 'Choose the customer to bill.'
          : 'Please correct the fields marked in red.',
      );
      return;
    }
    const v = this.form.getRawValue();
    const common = {
      lines: this.lineInputs(),
      invoice_date: v.invoice_date,
      due_date: v.due_date || null,
      place_of_supply: v.place_of_supply || null,
      notes: v.notes.trim() || null,
    };
    this.saving.set(true);
    try {
      const editing = this.editing();
      let invoice: Invoice;
      if (!editing) {
        invoice = await call(
          this.session.api.POST('/v1/invoices', {
            params: { header: { 'Idempotency-Key': this.key } },
            body: { customer_id: v.customer_id, draft: !issue, ...common },
          }),
        );
      } else {
        invoice = await call(
          this.session.api.PATCH('/v1/invoices/{invoice_id}', {
            params: { path: { invoice_id: editing.id } },
            body: { ...common, due_date: v.due_date || editing.due_date, version: editing.version },
          }),
        );
        if (issue && invoice.status === 'draft') {
          invoice = await call(
            this.session.api.POST('/v1/invoices/{invoice_id}/issue', {
              params: { path: { invoice_id: invoice.id } },
            }),
          );
        }
      }
      const notice = invoice.number
        ? issue || !editing
          ? `Invoice ${invoice.number} was issued.`
          : `${invoice.number} was saved.`
        : 'The draft was saved.';
      // Sold beyond stock on hand (the `warn` policy): the invoice page says so.
      const stockWarnings = invoice.stock_warnings ?? [];
      await this.router.navigate(['/business/invoices', invoice.id], {
        state: { notice, stockWarnings },
      });
    } catch (e) {
      this.formError.set(
        e instanceof ApiProblem && e.status === 409
          ? describe(e)
          : invoiceFormMessage(this.form, e),
      );
    } finally {
      this.saving.set(false);
    }
  }
}
