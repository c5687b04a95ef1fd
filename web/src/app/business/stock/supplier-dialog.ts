import { Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialog,
  MatDialogModule,
  MatDialogRef,
} from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { call, formMessage } from '../../core/problem';
import { Session } from '../../core/session';

export type Supplier = components['schemas']['Supplier'];

/** What the supplier dialog is opened with. */
export interface SupplierDialogData {
  /** The supplier to change; absent to add one. */
  supplier?: Supplier;
  /** A name to start with (what was typed in a supplier picker). */
  name?: string;
}

/** Adds a supplier (`POST /v1/suppliers`) or changes one (`PATCH`, with its version). */
@Component({
  selector: 'app-supplier-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>
        {{ data.supplier ? 'Edit ' + data.supplier.name : 'Add a supplier' }}
      </h2>
      <mat-dialog-content>
        <div class="fields">
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Supplier name</mat-label>
            <input matInput formControlName="name" required maxlength="120" cdkFocusInitial />
            <mat-error>{{ form.controls.name.getError('api') ?? 'A name is required.' }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Phone (optional)</mat-label>
            <input matInput formControlName="phone" type="tel" inputmode="tel" autocomplete="off" />
            <mat-error>{{ form.controls.phone.getError('api') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>GSTIN (optional)</mat-label>
            <input matInput formControlName="gstin" maxlength="15" class="upper" />
            <mat-error>{{ form.controls.gstin.getError('api') }}</mat-error>
          </mat-form-field>
        </div>
        @if (error(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">
          {{ data.supplier ? 'Save' : 'Add supplier' }}
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
    .upper {
      text-transform: uppercase;
    }
  `,
})
export class SupplierDialog {
  private readonly session = inject(Session);
  private readonly ref = inject(MatDialogRef<SupplierDialog, Supplier>);
  readonly data = inject<SupplierDialogData>(MAT_DIALOG_DATA);
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  private readonly key = newKey();
  private readonly s = this.data.supplier;

  readonly form = new FormGroup({
    name: new FormControl(this.s?.name ?? this.data.name ?? '', {
      nonNullable: true,
      validators: [Validators.required],
    }),
    phone: new FormControl(this.s?.phone ?? '', { nonNullable: true }),
    gstin: new FormControl(this.s?.gstin ?? '', { nonNullable: true }),
  });

  async save(): Promise<void> {
    this.form.markAllAsTouched();
    this.error.set(null);
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    const body = {
      name: v.name.trim(),
      phone: v.phone.trim() || null,
      gstin: v.gstin.trim().toUpperCase() || null,
    };
    this.saving.set(true);
    try {
      const saved = this.s
        ? await call(
            this.session.api.PATCH('/v1/suppliers/{supplier_id}', {
              params: { path: { supplier_id: this.s.id } },
              body: { ...body, version: this.s.version },
            }),
          )
        : await call(
            this.session.api.POST('/v1/suppliers', {
              params: { header: { 'Idempotency-Key': this.key } },
              body,
            }),
          );
      this.ref.close(saved);
    } catch (e) {
      this.error.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }
}

/** Opens the supplier dialog; the supplier saved, or undefined when cancelled. */
export function openSupplierDialog(
  dialog: MatDialog,
  data: SupplierDialogData,
): Promise<Supplier | undefined> {
  const ref = dialog.open<SupplierDialog, SupplierDialogData, Supplier>(SupplierDialog, {
    data,
    width: '520px',
    maxWidth: '95vw',
  });
  return firstValueFrom(ref.afterClosed());
}
