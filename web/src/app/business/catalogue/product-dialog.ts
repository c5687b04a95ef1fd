import { Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { components } from '../../api/schema';
import { call, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { newKey } from '../../core/files';
import { GST_RATES } from '../invoices/billing';
import { bpToPercent, paiseToRupees, rupeesToPaise } from '../invoices/compute';

type Product = components['schemas']['Product'];
type Category = components['schemas']['Category'];

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
  `,
})
export class ProductDialog {
  private readonly session = inject(Session);
  private readonly ref = inject(MatDialogRef<ProductDialog, Product>);
  readonly data = inject<ProductDialogData>(MAT_DIALOG_DATA);
  readonly percent = bpToPercent;
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  private readonly key = newKey();
  private readonly p = this.data.product;
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
  });

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
    if (this.form.invalid || price === null) return;
    const body = {
      name: v.name.trim(),
      unit_price: price,
      unit: v.unit.trim() || null,
      tax_rate_bp: v.tax_rate_bp,
      hsn_sac: v.hsn_sac.trim() || null,
      category_id: v.category_id || null,
      description: v.description.trim() || null,
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
      this.error.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }
}
