import { Component, Injectable, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';

/** What a confirmation asks. */
export interface ConfirmOptions {
  title: string;
  message: string;
  /** The button that goes ahead ("Approve", "Disable"). */
  action: string;
  /** Ask for a note: `'optional'` or `'required'`; none when absent. */
  note?: 'optional' | 'required';
  /** Red button: the action removes, rejects or disables something. */
  destructive?: boolean;
}

@Component({
  selector: 'app-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
      @if (data.note) {
        <mat-form-field appearance="outline" class="note">
          <mat-label>Note{{ data.note === 'optional' ? ' (optional)' : '' }}</mat-label>
          <textarea matInput [formControl]="note" rows="3" maxlength="1000"></textarea>
          @if (note.hasError('required')) {
            <mat-error>A note is required.</mat-error>
          }
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button
        mat-flat-button
        type="button"
        [class.destructive]="data.destructive"
        (click)="confirm()"
        cdkFocusInitial
      >
        {{ data.action }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .note { width: 100%; }
    .destructive { background: var(--mat-sys-error); color: var(--mat-sys-on-error); }
  `,
})
export class ConfirmDialog {
  readonly data = inject<ConfirmOptions>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<ConfirmDialog, { note: string | null }>);
  readonly note = new FormControl('', {
    nonNullable: true,
    validators: this.data.note === 'required' ? [Validators.required] : [],
  });

  confirm(): void {
    if (this.note.invalid) {
      this.note.markAsTouched();
      return;
    }
    const text = this.note.value.trim();
    this.ref.close({ note: text || null });
  }
}

/** Asks before a destructive or consequential action. */
@Injectable({ providedIn: 'root' })
export class Confirm {
  private readonly dialog = inject(MatDialog);

  /** The note (or null) when confirmed; `undefined` when cancelled. */
  async ask(options: ConfirmOptions): Promise<{ note: string | null } | undefined> {
    const ref = this.dialog.open<ConfirmDialog, ConfirmOptions, { note: string | null }>(ConfirmDialog, {
      data: options,
      width: '480px',
      maxWidth: '95vw',
    });
    return firstValueFrom(ref.afterClosed());
  }
}
