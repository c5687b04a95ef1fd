import { Component, computed, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
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
import {
  MatAutocompleteModule,
  MatAutocompleteSelectedEvent,
} from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { debounceTime, startWith } from 'rxjs';
import type { components } from '../../api/schema';
import { todayIn } from '../../core/dates';
import { newKey } from '../../core/files';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, call, describe, refused } from '../../core/problem';
import { Session } from '../../core/session';
import { invoiceFormMessage } from '../invoices/billing';
import { parseQuantity, rupeesToPaise } from '../invoices/compute';
import { lineAmount, quantityToApi, receiptTotal, withUnit } from './quantity';
import { Supplier, openSupplierDialog } from './supplier-dialog';

type StockRow = components['schemas']['StockRow'];
/** `GET /v1/stock` in JSON (the contract types only its CSV). */
type StockReport = components['schemas']['StockReport'];

/** The most lines a receipt takes (the API's limit). */
const MAX_LINES = 25;

/** A supplier chosen from the list (not just a name typed). */
function chosen(c: AbstractControl<Supplier | string | null>): ValidationErrors | null {
  return c.value && typeof c.value === 'object' ? null : { required: true };
}

/** Accepts what `parse` reads, more than 0 when `positive`; empty passes (`required` says that). */
function parses(parse: (raw: string) => number | null, message: string, positive: boolean) {
  return (c: AbstractControl<string>): ValidationErrors | null => {
    const raw = (c.value ?? '').trim();
    if (!raw) return null;
    const v = parse(raw);
    return v === null || (positive && v <= 0) ? { format: message } : null;
  };
}

function newLine(productId = '') {
  return new FormGroup({
    product_id: new FormControl(productId, {
      nonNullable: true,
      validators: [Validators.required],
    }),
    quantity: new FormControl('', {
      nonNullable: true,
      validators: [
        Validators.required,
        parses(parseQuantity, 'A quantity such as 5 or 2.5 (up to 3 decimals)', true),
      ],
    }),
    unit_cost: new FormControl('', {
      nonNullable: true,
      validators: [
        Validators.required,
        parses(rupeesToPaise, 'Rupees with at most 2 decimals, such as 90 or 92.50', false),
      ],
    }),
  });
}
type LineGroup = ReturnType<typeof newLine>;

/**
 * Records goods received on a supplier's bill (`POST /v1/stock/receipts`):
 * the supplier (or a new one added here), the bill's number and date, and
 * a line for each stock-tracked product with the quantity and unit cost;
 * the total adds up as you type. `?product=` starts with that product.
 */
@Component({
  selector: 'app-receipt-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatAutocompleteModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <p><a routerLink="/business/stock/receipts">‹ Receipts</a></p>
      <div class="page-head"><h1>Record a receipt</h1></div>

      <form [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-card appearance="outlined" class="section">
          <h2>Supplier's bill</h2>
          <div class="bill">
            <div class="supplier">
              <mat-form-field appearance="outline" class="grow">
                <mat-label>Supplier</mat-label>
                <input
                  matInput
                  formControlName="supplier_id"
                  [matAutocomplete]="auto"
                  required
                  autocomplete="off"
                />
                <mat-autocomplete
                  #auto="matAutocomplete"
                  [displayWith]="nameOf"
                  (optionSelected)="picked($event)"
                >
                  @for (s of matches(); track s.id) {
                    <mat-option [value]="s">
                      {{ s.name }}
                      @if (s.phone) {
                        <span class="muted small">{{ s.phone | phone }}</span>
                      }
                    </mat-option>
                  }
                  @if (typedName() && !exactMatch()) {
                    <mat-option [value]="addOption"
                      >+ Add “{{ typedName() }}” as a supplier</mat-option
                    >
                  }
                </mat-autocomplete>
                <mat-hint>Type a name, then pick one</mat-hint>
                <mat-error>{{
                  form.controls.supplier_id.getError('api') ?? 'Choose the supplier of the bill.'
                }}</mat-error>
              </mat-form-field>
              <button mat-stroked-button type="button" class="add-supplier" (click)="addSupplier()">
                Add a supplier
              </button>
            </div>
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>Bill number</mat-label>
              <input
                matInput
                formControlName="bill_number"
                required
                maxlength="40"
                autocomplete="off"
              />
              <mat-error>{{
                form.controls.bill_number.getError('api') ?? 'The number on the supplier’s bill.'
              }}</mat-error>
            </mat-form-field>
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>Bill date</mat-label>
              <input matInput type="date" formControlName="bill_date" required [max]="today" />
              <mat-error>{{
                form.controls.bill_date.getError('api') ?? 'The date on the bill.'
              }}</mat-error>
            </mat-form-field>
          </div>
        </mat-card>

        <mat-card appearance="outlined" class="section">
          <h2>Goods received</h2>
          @if (!loadingProducts() && !products().length) {
            <p class="notice">
              No product keeps stock yet. Turn on “Keep stock” for a product in
              <a routerLink="/business/products">Products</a> first.
            </p>
          }
          @if (productsError(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <ol class="lines" formArrayName="lines">
            @for (line of lines.controls; track line; let i = $index) {
              <li class="line" [formGroupName]="i" [attr.aria-label]="'Line ' + (i + 1)">
                <mat-form-field appearance="outline" class="product">
                  <mat-label>Product</mat-label>
                  <mat-select formControlName="product_id" required>
                    @for (p of products(); track p.product_id) {
                      <mat-option
                        [value]="p.product_id"
                        [disabled]="usedElsewhere(p.product_id, i)"
                      >
                        {{ p.name }}
                        <span class="muted small">· {{ withUnit(p.on_hand, p.unit) }} on hand</span>
                      </mat-option>
                    }
                  </mat-select>
                  <mat-error>{{
                    line.controls.product_id.getError('api') ?? 'Choose a product.'
                  }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline" class="qty">
                  <mat-label>Quantity</mat-label>
                  <input
                    matInput
                    formControlName="quantity"
                    inputmode="decimal"
                    required
                    autocomplete="off"
                  />
                  @if (unitOf(line.controls.product_id.value); as u) {
                    <span matTextSuffix>{{ u }}</span>
                  }
                  <mat-error>{{
                    line.controls.quantity.getError('api') ??
                      line.controls.quantity.getError('format') ??
                      'Required.'
                  }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline" class="cost">
                  <mat-label>Unit cost (₹)</mat-label>
                  <input
                    matInput
                    formControlName="unit_cost"
                    inputmode="decimal"
                    required
                    autocomplete="off"
                  />
                  <mat-error>{{
                    line.controls.unit_cost.getError('api') ??
                      line.controls.unit_cost.getError('format') ??
                      'Required.'
                  }}</mat-error>
                </mat-form-field>
                <div class="amount">
                  <span class="muted small">Amount</span>
                  <span [attr.data-testid]="'line-amount-' + i">{{
                    amounts()[i] ?? null | rupees
                  }}</span>
                </div>
                <button
                  mat-button
                  type="button"
                  class="remove"
                  (click)="removeLine(i)"
                  [disabled]="lines.length === 1"
                  [attr.aria-label]="'Remove line ' + (i + 1)"
                >
                  Remove
                </button>
              </li>
            }
          </ol>
          <div class="foot">
            <button
              mat-stroked-button
              type="button"
              (click)="addLine()"
              [disabled]="lines.length >= maxLines"
            >
              Add a line
            </button>
            <p class="total" aria-live="polite">
              <span class="muted"
                >{{ figures().counted === lines.length ? '' : figures().counted + ' of '
                }}{{ lines.length }} {{ lines.length === 1 ? 'line' : 'lines' }} ·</span
              >
              Total <strong data-testid="receipt-total">{{ figures().total | rupees }}</strong>
            </p>
          </div>
          <mat-form-field appearance="outline" class="notes">
            <mat-label>Notes (optional)</mat-label>
            <textarea matInput formControlName="notes" rows="2" maxlength="1000"></textarea>
            <mat-error>{{ form.controls.notes.getError('api') }}</mat-error>
          </mat-form-field>
        </mat-card>

        @if (formError(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        <div class="actions submit">
          <button mat-flat-button type="submit" [disabled]="saving()">Record receipt</button>
          <a mat-button routerLink="/business/stock/receipts">Cancel</a>
        </div>
      </form>
    </div>
  `,
  styles: `
    .section {
      padding: 12px 16px 4px;
      margin-bottom: 12px;
    }
    h2 {
      font-size: 1.1rem;
      font-weight: 500;
      margin: 0 0 12px;
    }
    .bill {
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1fr);
      gap: 4px 12px;
      margin-bottom: 12px;
      align-items: start;
    }
    .supplier {
      display: flex;
      gap: 8px;
      align-items: flex-start;
    }
    .grow {
      flex: 1 1 auto;
      min-width: 0;
    }
    .add-supplier {
      margin-top: 10px;
      white-space: nowrap;
    }
    .small {
      font-size: 0.8rem;
      margin-left: 6px;
    }
    .lines {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .line {
      display: grid;
      grid-template-columns: minmax(0, 3fr) minmax(0, 1.2fr) minmax(0, 1.2fr) 120px auto;
      gap: 4px 12px;
      align-items: start;
      padding-top: 4px;
    }
    .line + .line {
      border-top: 1px solid var(--mat-sys-outline-variant, #ddd);
      padding-top: 12px;
    }
    .amount {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      padding-top: 6px;
      white-space: nowrap;
    }
    .amount .small {
      margin: 0;
    }
    .remove {
      margin-top: 10px;
    }
    .foot {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: center;
      gap: 8px 16px;
      margin: 4px 0 16px;
    }
    .total {
      margin: 0;
      font-size: 1.1rem;
    }
    .total strong {
      font-size: 1.3rem;
    }
    .notes {
      width: 100%;
    }
    .submit {
      margin-bottom: 24px;
    }
    @media (max-width: 800px) {
      .bill {
        grid-template-columns: 1fr 1fr;
      }
      .supplier {
        grid-column: 1 / -1;
      }
      .line {
        grid-template-columns: 1fr 1fr;
      }
      .product {
        grid-column: 1 / -1;
      }
      .amount {
        align-items: flex-start;
        padding-top: 0;
      }
      .remove {
        margin-top: 0;
        justify-self: end;
      }
    }
    @media (max-width: 420px) {
      .supplier {
        flex-wrap: wrap;
      }
      .add-supplier {
        margin-top: 0;
        margin-bottom: 8px;
      }
    }
  `,
})
export class ReceiptForm {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  /** From the address: `?product=` starts the first line with that product. */
  readonly product = input<string>();
  readonly today = todayIn();
  readonly maxLines = MAX_LINES;
  readonly withUnit = withUnit;
  readonly products = signal<StockRow[]>([]);
  readonly loadingProducts = signal(true);
  readonly productsError = signal<string | null>(null);
  readonly matches = signal<Supplier[]>([]);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  /** The autocomplete's "add a supplier" entry. */
  readonly addOption = { add: true } as const;
  private key = newKey();
  private generation = 0;
  /** The supplier name last typed (the autocomplete replaces it with the option picked). */
  private lastTyped = '';

  readonly lines = new FormArray<LineGroup>([newLine()]);
  readonly form = new FormGroup({
    supplier_id: new FormControl<Supplier | string | null>(null, { validators: [chosen] }),
    bill_number: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    bill_date: new FormControl(todayIn(), { nonNullable: true, validators: [Validators.required] }),
    lines: this.lines,
    notes: new FormControl('', { nonNullable: true }),
  });

  private readonly value = toSignal(this.form.valueChanges.pipe(startWith(this.form.value)), {
    initialValue: this.form.value,
  });
  private readonly supplierValue = toSignal(
    this.form.controls.supplier_id.valueChanges.pipe(startWith(null as Supplier | string | null)),
  );
  readonly typedName = computed(() => {
    const v = this.supplierValue();
    return typeof v === 'string' ? v.trim() : '';
  });
  readonly exactMatch = computed(() => {
    const t = this.typedName().toLowerCase();
    return this.matches().some((s) => s.name.toLowerCase() === t);
  });
  private readonly entries = computed(() =>
    (this.value().lines ?? []).map((l) => {
      const q = parseQuantity(l.quantity ?? '');
      return {
        quantity_milli: q !== null && q > 0 ? q : null,
        unit_cost: rupeesToPaise(l.unit_cost ?? ''),
      };
    }),
  );
  /** Each line's amount (paise), or null until its quantity and cost read. */
  readonly amounts = computed(() =>
    this.entries().map((e) =>
      e.quantity_milli === null || e.unit_cost === null
        ? null
        : lineAmount(e.quantity_milli, e.unit_cost),
    ),
  );
  readonly figures = computed(() => receiptTotal(this.entries()));
  private readonly byId = computed(() => new Map(this.products().map((p) => [p.product_id, p])));

  constructor() {
    void this.loadProducts();
    this.form.controls.supplier_id.valueChanges.subscribe((v) => {
      if (typeof v === 'string') this.lastTyped = v.trim();
    });
    this.form.controls.supplier_id.valueChanges.pipe(debounceTime(200)).subscribe((v) => {
      if (typeof v === 'string') void this.searchSuppliers(v.trim());
    });
    void this.searchSuppliers('');
  }

  private async loadProducts(): Promise<void> {
    this.loadingProducts.set(true);
    try {
      const all: StockRow[] = [];
      let cursor: string | undefined;
      do {
        const page = (await call(
          this.session.api.GET('/v1/stock', { params: { query: { cursor, limit: 100 } } }),
        )) as StockReport;
        all.push(...page.items.filter((r) => r.active));
        cursor = page.next_cursor ?? undefined;
      } while (cursor && all.length < 5000);
      this.products.set(all);
      const first = this.product();
      if (
        first &&
        all.some((p) => p.product_id === first) &&
        !this.lines.at(0).controls.product_id.value
      ) {
        this.lines.at(0).controls.product_id.setValue(first);
      }
    } catch (e) {
      this.productsError.set(`The products could not be loaded: ${describe(e)}`);
    } finally {
      this.loadingProducts.set(false);
    }
  }

  private async searchSuppliers(q: string): Promise<void> {
    const mine = ++this.generation;
    try {
      const page = await call(
        this.session.api.GET('/v1/suppliers', {
          params: { query: { q: q || undefined, limit: 8 } },
        }),
      );
      if (mine === this.generation) this.matches.set(page.items);
    } catch {
      if (mine === this.generation) this.matches.set([]);
    }
  }

  readonly nameOf = (s: Supplier | string | null): string =>
    typeof s === 'string' ? s : (s?.name ?? '');

  unitOf(productId: string): string | null {
    return this.byId().get(productId)?.unit ?? null;
  }

  usedElsewhere(productId: string, index: number): boolean {
    return this.lines.controls.some(
      (l, i) => i !== index && l.controls.product_id.value === productId,
    );
  }

  picked(event: MatAutocompleteSelectedEvent): void {
    if (event.option.value === this.addOption) {
      const name = this.lastTyped;
      this.form.controls.supplier_id.setValue(name);
      void this.addSupplier(name);
    }
  }

  async addSupplier(name = this.typedName()): Promise<void> {
    const saved = await openSupplierDialog(this.dialog, { name });
    if (!saved) {
      this.form.controls.supplier_id.setValue(name);
      return;
    }
    this.form.controls.supplier_id.setValue(saved);
    this.matches.update((m) => [saved, ...m.filter((s) => s.id !== saved.id)]);
  }

  addLine(): void {
    if (this.lines.length >= MAX_LINES) return;
    this.lines.push(newLine());
  }

  removeLine(i: number): void {
    if (this.lines.length > 1) this.lines.removeAt(i);
  }

  async save(): Promise<void> {
    this.form.markAllAsTouched();
    this.formError.set(null);
    if (this.form.invalid) {
      this.formError.set(
        this.form.controls.supplier_id.invalid
          ? 'Choose the supplier, or add a new one.'
          : 'Please correct the fields marked in red.',
      );
      return;
    }
    const v = this.form.getRawValue();
    const supplier = v.supplier_id as Supplier;
    const body = {
      supplier_id: supplier.id,
      bill_number: v.bill_number.trim(),
      bill_date: v.bill_date,
      notes: v.notes.trim() || null,
      lines: v.lines.map((l) => ({
        product_id: l.product_id,
        quantity: quantityToApi(parseQuantity(l.quantity) ?? 0),
        unit_cost: rupeesToPaise(l.unit_cost) ?? 0,
      })),
    };
    this.saving.set(true);
    try {
      const receipt = await call(
        this.session.api.POST('/v1/stock/receipts', {
          params: { header: { 'Idempotency-Key': this.key } },
          body,
        }),
      );
      await this.router.navigate(['/business/stock/receipts', receipt.id], {
        state: {
          notice: `Bill ${receipt.bill_number} of ${receipt.supplier_name} was recorded: stock was added.`,
        },
      });
    } catch (e) {
      // The receipt was not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(
        e instanceof ApiProblem && e.status === 409 && !e.problem?.errors?.length
          ? (e.problem?.detail ?? describe(e))
          : invoiceFormMessage(this.form, e),
      );
    } finally {
      this.saving.set(false);
    }
  }
}
