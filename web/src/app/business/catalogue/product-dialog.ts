import { Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { startWith } from 'rxjs';
import type { components } from '../../api/schema';
import { ApiProblem, call, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { newKey } from '../../core/files';
import { GST_RATES } from '../invoices/billing';
import { bpToPercent, paiseToRupees, parseQuantity, rupeesToPaise } from '../invoices/compute';
import { quantityToApi, withUnit } from '../stock/quantity';

/** A quantity field's text for the API: normalised when it reads (`1,000` → `1000`), else as typed (the API says what is wrong). */
function apiQuantity(raw: string): string {
  const milli = parseQuantity(raw);
  return milli === null ? raw.trim() : quantityToApi(milli);
}

type Product = components['schemas']['Product'];
type Category = components['schemas']['Category'];
/** The stock fields of a product's create or change. */
type StockFields = Pick<
  components['schemas']['NewProduct'],
  'track_stock' | 'opening_quantity' | 'opening_cost' | 'low_stock_threshold' | 'reorder_quantity'
>;

/** What the product dialog is opened with. */
export interface ProductDialogData {
  /** The product to change; absent to add one. */
  product?: Product;
  categories: Category[];
  /** The business's default GST rate for a new product (basis points). */
  defaultRate?: number;
}

/** Adds a product (`POST /v1/products`) or changes one (`PATCH`, with its version). */
@Component({
  selector: 'app-product-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>{{ data.product ? 'Edit ' + data.product.name : 'Add a product' }}</h2>
      <mat-dialog-content>
        <div class="fields">
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" required maxlength="120" cdkFocusInitial />
            <mat-error>{{ form.controls.name.getError('api') ?? 'A name is required.' }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Price (₹, before tax)</mat-label>
            <input matInput formControlName="unit_price" inputmode="decimal" required />
            <mat-error>{{
              form.controls.unit_price.getError('api') ?? 'A price in rupees is required.'
            }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Unit</mat-label>
            <input matInput formControlName="unit" placeholder="pcs" maxlength="20" />
            <mat-hint>kg, litre, pcs, box, hour…</mat-hint>
            <mat-error>{{ form.controls.unit.getError('api') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>GST rate</mat-label>
            <mat-select formControlName="tax_rate_bp">
              @for (r of rates; track r) {
                <mat-option [value]="r">{{ percent(r) }} %</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.tax_rate_bp.getError('api') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>HSN/SAC code</mat-label>
            <input matInput formControlName="hsn_sac" inputmode="numeric" maxlength="8" />
            <mat-hint>4, 6 or 8 digits</mat-hint>
            <mat-error>{{ form.controls.hsn_sac.getError('api') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Category</mat-label>
            <mat-select formControlName="category_id">
              <mat-option [value]="''">No category</mat-option>
              @for (c of data.categories; track c.id) {
                <mat-option [value]="c.id">{{ c.name }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.category_id.getError('api') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Description (optional)</mat-label>
            <textarea matInput formControlName="description" rows="2" maxlength="1000"></textarea>
            <mat-error>{{ form.controls.description.getError('api') }}</mat-error>
          </mat-form-field>
        </div>
        <section class="stock" aria-labelledby="keep-stock">
          <h3 id="keep-stock">Keep stock</h3>
          <mat-slide-toggle formControlName="track_stock"
            >Keep stock of this product</mat-slide-toggle
          >
          <p class="muted small">
            @if (!tracking()) {
              Know what is on hand: invoices take stock out, supplier bills put it in.
            } @else if (wasTracked) {
              {{ withUnit(p!.on_hand, p!.unit) }} on hand. Change it with “Adjust stock” on the
              product's stock page.
            } @else {
              What is on the shelf now and what one unit cost you.
            }
          </p>
          @if (trackError(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          @if (tracking()) {
            <div class="fields">
              @if (!wasTracked) {
                <mat-form-field appearance="outline">
                  <mat-label>Opening quantity</mat-label>
                  <input
                    matInput
                    formControlName="opening_quantity"
                    inputmode="decimal"
                    autocomplete="off"
                  />
                  <mat-hint>On hand now (0 if none)</mat-hint>
                  <mat-error>{{ form.controls.opening_quantity.getError('api') }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline">
                  <mat-label>Opening cost (₹ per unit)</mat-label>
                  <input
                    matInput
                    formControlName="opening_cost"
                    inputmode="decimal"
                    autocomplete="off"
                  />
                  <mat-hint>What one unit cost you</mat-hint>
                  <mat-error>{{ form.controls.opening_cost.getError('api') }}</mat-error>
                </mat-form-field>
              }
              <mat-form-field appearance="outline">
                <mat-label>Low-stock threshold</mat-label>
                <input
                  matInput
                  formControlName="low_stock_threshold"
                  inputmode="decimal"
                  autocomplete="off"
                />
                <mat-hint>Optional: low at or below this</mat-hint>
                <mat-error>{{ form.controls.low_stock_threshold.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Reorder quantity</mat-label>
                <input
                  matInput
                  formControlName="reorder_quantity"
                  inputmode="decimal"
                  autocomplete="off"
                />
                <mat-hint>Optional: how much to order</mat-hint>
                <mat-error>{{ form.controls.reorder_quantity.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
          }
        </section>
        @if (error(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">
          {{ data.product ? 'Save' : 'Add product' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
      gap: 4px 12px;
      padding-top: 4px;
    }
    .wide {
      grid-column: 1 / -1;
    }
    .stock {
      border-top: 1px solid var(--mat-sys-outline-variant, #ddd);
      margin-top: 8px;
      padding-top: 8px;
    }
    .stock h3 {
      font-size: 1rem;
      font-weight: 500;
      margin: 0 0 8px;
    }
    .stock .small {
      font-size: 0.8rem;
      margin: 4px 0 8px;
    }
  `,
})
export class ProductDialog {
  private readonly session = inject(Session);
  private readonly ref = inject(MatDialogRef<ProductDialog, Product>);
  readonly data = inject<ProductDialogData>(MAT_DIALOG_DATA);
  readonly percent = bpToPercent;
  readonly withUnit = withUnit;
  readonly trackError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  private readonly key = newKey();
  readonly p = this.data.product;
  /** Whether stock was kept before this dialog. */
  readonly wasTracked = this.p?.track_stock ?? false;
  private readonly rate = this.p?.tax_rate_bp ?? this.data.defaultRate ?? 0;
  readonly rates = GST_RATES.includes(this.rate)
    ? GST_RATES
    : [...GST_RATES, this.rate].sort((a, b) => a - b);

  readonly form = new FormGroup({
    name: new FormControl(this.p?.name ?? '', {
      nonNullable: true,
      validators: [Validators.required],
    }),
    unit_price: new FormControl(this.p ? paiseToRupees(this.p.unit_price) : '', {
      nonNullable: true,
      validators: [Validators.required],
    }),
    unit: new FormControl(this.p?.unit ?? '', { nonNullable: true }),
    tax_rate_bp: new FormControl(this.rate, { nonNullable: true }),
    hsn_sac: new FormControl(this.p?.hsn_sac ?? '', { nonNullable: true }),
    category_id: new FormControl(this.p?.category_id ?? '', { nonNullable: true }),
    description: new FormControl(this.p?.description ?? '', { nonNullable: true }),
    track_stock: new FormControl(this.wasTracked, { nonNullable: true }),
    opening_quantity: new FormControl('', { nonNullable: true }),
    opening_cost: new FormControl('', { nonNullable: true }),
    low_stock_threshold: new FormControl(this.p?.low_stock_threshold ?? '', { nonNullable: true }),
    reorder_quantity: new FormControl(this.p?.reorder_quantity ?? '', { nonNullable: true }),
  });
  private readonly tracked = toSignal(
    this.form.controls.track_stock.valueChanges.pipe(
      startWith(this.form.controls.track_stock.value),
    ),
    { initialValue: this.wasTracked },
  );
  readonly tracking = computed(() => this.tracked());

  /** The stock fields of the request: only what applies (the API refuses stock fields of untracked products). */
  private stockBody(): StockFields | null {
    const v = this.form.getRawValue();
    const optional = (raw: string) => (raw.trim() ? apiQuantity(raw) : null);
    if (!v.track_stock) return this.wasTracked ? { track_stock: false } : {};
    const limits = {
      low_stock_threshold: optional(v.low_stock_threshold),
      reorder_quantity: optional(v.reorder_quantity),
    };
    if (this.wasTracked) return limits;
    let opening_cost: number | null = null;
    if (v.opening_cost.trim()) {
      opening_cost = rupeesToPaise(v.opening_cost);
      if (opening_cost === null) {
        this.form.controls.opening_cost.setErrors({
          api: 'Rupees with at most 2 decimals, such as 90 or 92.50',
        });
        return null;
      }
    }
    const body: StockFields = {
      track_stock: true,
      opening_quantity: optional(v.opening_quantity),
      opening_cost,
    };
    // A new product takes no nulls it does not need.
    if (limits.low_stock_threshold !== null || this.p)
      body.low_stock_threshold = limits.low_stock_threshold;
    if (limits.reorder_quantity !== null || this.p) body.reorder_quantity = limits.reorder_quantity;
    return body;
  }

  async save(): Promise<void> {
    this.form.markAllAsTouched();
    this.error.set(null);
    const v = this.form.getRawValue();
    const price = rupeesToPaise(v.unit_price);
    if (v.unit_price.trim() && price === null) {
      this.form.controls.unit_price.setErrors({
        api: 'Rupees with at most 2 decimals, such as 120 or 99.50',
      });
    }
    this.trackError.set(null);
    const stock = this.stockBody();
    if (this.form.invalid || price === null || stock === null) return;
    const body = {
      name: v.name.trim(),
      unit_price: price,
      unit: v.unit.trim() || null,
      tax_rate_bp: v.tax_rate_bp,
      hsn_sac: v.hsn_sac.trim() || null,
      category_id: v.category_id || null,
      description: v.description.trim() || null,
      ...stock,
    };
    this.saving.set(true);
    try {
      const product = this.p
        ? await call(
            this.session.api.PATCH('/v1/products/{product_id}', {
              params: { path: { product_id: this.p.id } },
              body: { ...body, unit: body.unit ?? this.p.unit, version: this.p.version },
            }),
          )
        : await call(
            this.session.api.POST('/v1/products', {
              params: { header: { 'Idempotency-Key': this.key } },
              body,
            }),
          );
      this.ref.close(product);
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 409 && this.wasTracked && !v.track_stock) {
        // Stock is kept until on hand is 0: the API says how much is left.
        this.trackError.set(
          `Stock is still kept: ${e.problem?.detail ?? 'adjust the stock to 0 first'}.`,
        );
        return;
      }
      this.error.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }
}
