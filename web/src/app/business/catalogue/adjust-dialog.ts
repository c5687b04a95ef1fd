import { Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { startWith } from 'rxjs';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { call, formMessage, refused } from '../../core/problem';
import { Session } from '../../core/session';
import type { Customer } from '../invoices/billing';
import { CustomerPicker } from '../invoices/customer-picker';
import {
  formatQuantity,
  parseSignedQuantity,
  quantityMilli,
  quantityToApi,
  withUnit,
} from '../stock/quantity';

type Product = components['schemas']['Product'];
type StockMovement = components['schemas']['StockMovement'];

/** What can be done: take out or put in with a reason, or take back a customer's goods. */
type Mode = 'out' | 'in' | 'return';

/**
 * Adjusts a product's stock (`POST /v1/stock/adjustments`): units out
 * (damaged, lost, a count lower than the books) or in (a count higher)
 * with the reason, or a customer's return. Closes with the movement.
 */
@Component({
  selector: 'app-adjust-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    CustomerPicker,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>Adjust stock of {{ product.name }}</h2>
      <mat-dialog-content>
        <p class="muted">On hand now: {{ withUnit(product.on_hand, product.unit) }}</p>
        <mat-button-toggle-group
          formControlName="mode"
          aria-label="What happened"
          class="modes"
          hideSingleSelectionIndicator
        >
          <mat-button-toggle value="out">Take out</mat-button-toggle>
          <mat-button-toggle value="in">Add</mat-button-toggle>
          <mat-button-toggle value="return" aria-label="Customer return">Return</mat-button-toggle>
        </mat-button-toggle-group>
        <div class="fields">
          <mat-form-field appearance="outline">
            <mat-label>Quantity</mat-label>
            <input
              matInput
              formControlName="quantity"
              inputmode="decimal"
              required
              autocomplete="off"
              cdkFocusInitial
            />
            <span matTextSuffix>{{ product.unit }}</span>
            <mat-hint>{{ hint() }}</mat-hint>
            <mat-error>{{
              form.controls.quantity.getError('api') ?? 'A quantity such as 2 or 0.5, more than 0.'
            }}</mat-error>
          </mat-form-field>
          @if (mode() === 'return') {
            <app-customer-picker
              label="Customer (optional)"
              hint="Who brought it back"
              [value]="customer()"
              [error]="customerError()"
              (chosen)="customer.set($event)"
            />
          }
          <mat-form-field appearance="outline" class="wide">
            <mat-label>{{ mode() === 'return' ? 'Note (optional)' : 'Reason' }}</mat-label>
            <input
              matInput
              formControlName="reason"
              maxlength="200"
              [required]="mode() !== 'return'"
              autocomplete="off"
              [placeholder]="mode() === 'out' ? 'Damaged in the rain' : 'Count on ' + today"
            />
            <mat-error>{{
              form.controls.reason.getError('api') ?? 'Say why the stock changes.'
            }}</mat-error>
          </mat-form-field>
        </div>
        @if (error(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">
          {{ mode() === 'return' ? 'Take back' : 'Save adjustment' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .modes {
      margin-bottom: 16px;
      display: flex;
      width: 100%;
    }
    .modes mat-button-toggle {
      flex: 1 1 0;
    }
    .fields {
      display: grid;
      grid-template-columns: 1fr;
      gap: 4px;
    }
    .muted {
      margin-top: 0;
    }
  `,
})
export class AdjustDialog {
  private readonly session = inject(Session);
  private readonly ref = inject(MatDialogRef<AdjustDialog, StockMovement>);
  readonly product = inject<Product>(MAT_DIALOG_DATA);
  readonly withUnit = withUnit;
  readonly today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  readonly customer = signal<Customer | null>(null);
  readonly customerError = signal<string | null>(null);
  private key = newKey();

  readonly form = new FormGroup({
    mode: new FormControl<Mode>('out', { nonNullable: true }),
    quantity: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    reason: new FormControl('', { nonNullable: true }),
  });
  private readonly value = toSignal(this.form.valueChanges.pipe(startWith(this.form.value)), {
    initialValue: this.form.value,
  });
  readonly mode = computed(() => this.value().mode ?? 'out');
  /** The quantity as the API takes it: signed by the mode; null when not readable. */
  private readonly signed = computed(() => {
    const q = parseSignedQuantity(this.value().quantity ?? '');
    if (q === null || q === 0) return null;
    return this.mode() === 'out' ? -Math.abs(q) : Math.abs(q);
  });
  readonly hint = computed(() => {
    const q = this.signed();
    const now = quantityMilli(this.product.on_hand) ?? 0;
    if (q === null)
      return this.mode() === 'out'
        ? 'Units that left the shelf'
        : 'Units that came back on the shelf';
    return `On hand after: ${formatQuantity(quantityToApi(now + q))} ${this.product.unit}`;
  });

  async save(): Promise<void> {
    this.form.markAllAsTouched();
    this.error.set(null);
    this.customerError.set(null);
    const mode = this.mode();
    const q = this.signed();
    if (this.form.value.quantity?.trim() && q === null) {
      this.form.controls.quantity.setErrors({ api: 'A quantity such as 2 or 0.5, more than 0.' });
    }
    if (mode !== 'return' && !this.form.value.reason?.trim()) {
      this.form.controls.reason.setErrors({ required: true });
    }
    if (this.form.invalid || q === null) return;
    this.saving.set(true);
    try {
      const movement = await call(
        this.session.api.POST('/v1/stock/adjustments', {
          params: { header: { 'Idempotency-Key': this.key } },
          body: {
            product_id: this.product.id,
            quantity: quantityToApi(q),
            kind: mode === 'return' ? 'return' : 'adjustment',
            reason: this.form.getRawValue().reason.trim() || null,
            customer_id: mode === 'return' ? (this.customer()?.id ?? null) : null,
          },
        }),
      );
      this.ref.close(movement);
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      const m = formMessage(this.form, e);
      const customer = /customer_id: (.*)/.exec(m);
      if (customer) this.customerError.set(customer[1]);
      this.error.set(m);
    } finally {
      this.saving.set(false);
    }
  }
}
