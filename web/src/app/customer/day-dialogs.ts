import { Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import type { components } from '../api/schema';
import { newKey } from '../core/files';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe, formMessage, refused } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';
import { qty } from './util';

type Delivery = components['schemas']['Delivery'];
type Comment = components['schemas']['Comment'];
type DeliveryStatus = components['schemas']['DeliveryStatus'];

/**
 * Corrects a day's record (`PATCH /v1/deliveries/{id}`): what really
 * came, and why (the API requires a reason from a customer). Closes with
 * the corrected record.
 */
@Component({
  selector: 'app-correct-delivery',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatRadioModule, ...FORMAT_PIPES],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>Correct {{ d.date | indianDate }}</h2>
      <mat-dialog-content>
        <p>
          {{ d.item }}: recorded as
          <strong>{{ d.status === 'delivered' ? qty(d.quantity, d.unit) + ' delivered' : 'not delivered (skipped)' }}</strong>.
          What really came?
        </p>
        <mat-radio-group formControlName="status" aria-label="What came" class="choices">
          <mat-radio-button value="delivered">Delivered</mat-radio-button>
          <mat-radio-button value="skipped">Nothing came</mat-radio-button>
        </mat-radio-group>
        @if (form.controls.status.value === 'delivered') {
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Quantity ({{ d.unit }})</mat-label>
            <input matInput formControlName="quantity" inputmode="decimal" autocomplete="off" />
            <mat-error>{{ form.controls.quantity.getError('api') }}</mat-error>
          </mat-form-field>
        }
        <mat-form-field appearance="outline" class="wide">
          <mat-label>Reason</mat-label>
          <textarea matInput formControlName="reason" rows="3" maxlength="500"></textarea>
          <mat-hint>The business sees it.</mat-hint>
          <mat-error>{{ form.controls.reason.getError('api') }}</mat-error>
        </mat-form-field>
        @if (message(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Save correction</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide { width: 100%; }
    .choices { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-bottom: 12px; }
  `,
})
export class CorrectDelivery {
  private readonly session = inject(Session);
  private readonly ref = inject(MatDialogRef<CorrectDelivery, Delivery>);
  readonly d = inject<Delivery>(MAT_DIALOG_DATA);
  readonly qty = qty;
  readonly saving = signal(false);
  readonly message = signal<string | null>(null);
  readonly form = new FormGroup({
    status: new FormControl<DeliveryStatus>(this.d.status, { nonNullable: true }),
    quantity: new FormControl(this.d.status === 'delivered' ? this.d.quantity : '', { nonNullable: true }),
    reason: new FormControl('', { nonNullable: true }),
  });

  async save(): Promise<void> {
    this.saving.set(true);
    this.message.set(null);
    const v = this.form.getRawValue();
    try {
      const updated = await call(
        this.session.api.PATCH('/v1/deliveries/{delivery_id}', {
          params: { path: { delivery_id: this.d.id } },
          body: {
            status: v.status,
            quantity: v.status === 'delivered' && v.quantity.trim() ? v.quantity.trim() : null,
            reason: v.reason.trim() || null,
            version: this.d.version,
          },
        }),
      );
      this.ref.close(updated);
    } catch (e) {
      this.message.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }
}

/**
 * The comments on a day's record (`/v1/deliveries/{id}/comments`): read
 * them, write one, edit or delete one's own.
 */
@Component({
  selector: 'app-delivery-comments',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, ListState, ...FORMAT_PIPES],
  template: `
    <h2 mat-dialog-title>Comments · {{ d.date | indianDate }}</h2>
    <mat-dialog-content>
      <p class="muted">{{ d.item }}: {{ d.status === 'delivered' ? qty(d.quantity, d.unit) + ' delivered' : 'skipped' }}</p>
      <app-list-state [loading]="loading()" [error]="error()" [empty]="comments().length === 0" emptyText="No comments yet." (retry)="load()">
        <ol class="comments" aria-label="Comments">
          @for (c of comments(); track c.id) {
            <li [class.mine]="c.author_id === me()">
              <div class="meta">
                <strong>{{ c.author_id === me() ? 'You' : c.author_name }}</strong>
                <span class="muted">{{ c.author_role === 'customer' ? '' : '(' + vendor + ')' }} {{ c.created_at | indianDateTime }}{{ c.updated_at !== c.created_at ? ' · edited' : '' }}</span>
              </div>
              @if (editing() === c.id) {
                <form [formGroup]="editForm" (ngSubmit)="saveEdit(c)" novalidate>
                  <mat-form-field appearance="outline" class="wide" subscriptSizing="dynamic">
                    <mat-label>Edit your comment</mat-label>
                    <textarea matInput formControlName="text" rows="2" maxlength="1000"></textarea>
                    <mat-error>{{ editForm.controls.text.getError('api') }}</mat-error>
                  </mat-form-field>
                  <div class="actions">
                    <button mat-flat-button type="submit" [disabled]="busy()">Save</button>
                    <button mat-button type="button" (click)="editing.set(null)">Cancel</button>
                  </div>
                </form>
              } @else {
                <p class="text">{{ c.text }}</p>
                @if (c.author_id === me()) {
                  <div class="actions">
                    <button mat-button type="button" (click)="startEdit(c)">Edit</button>
                    <button mat-button type="button" (click)="remove(c)" [disabled]="busy()">Delete</button>
                  </div>
                }
              }
            </li>
          }
        </ol>
      </app-list-state>
      <form [formGroup]="form" (ngSubmit)="add()" novalidate class="add">
        <mat-form-field appearance="outline" class="wide">
          <mat-label>Your comment</mat-label>
          <textarea matInput formControlName="text" rows="2" maxlength="1000"></textarea>
          <mat-error>{{ form.controls.text.getError('api') }}</mat-error>
        </mat-form-field>
        @if (message(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        <button mat-flat-button type="submit" [disabled]="busy()">Add comment</button>
      </form>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .wide { width: 100%; }
    .comments { list-style: none; margin: 0 0 12px; padding: 0; display: grid; gap: 8px; }
    .comments li { padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-surface-container, #f0f0f5); }
    .comments li.mine { background: var(--mat-sys-secondary-container, #dae2f9); }
    .meta { display: flex; flex-wrap: wrap; gap: 4px 8px; font-size: 0.9rem; }
    .text { margin: 4px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    .add { margin-top: 8px; }
  `,
})
export class DeliveryComments {
  private readonly session = inject(Session);
  private readonly data = inject<{ delivery: Delivery; vendor: string }>(MAT_DIALOG_DATA);
  readonly d = this.data.delivery;
  readonly vendor = this.data.vendor;
  readonly qty = qty;
  readonly comments = signal<Comment[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly message = signal<string | null>(null);
  readonly editing = signal<string | null>(null);
  readonly me = computed(() => this.session.user()?.id);
  readonly form = new FormGroup({ text: new FormControl('', { nonNullable: true }) });
  readonly editForm = new FormGroup({ text: new FormControl('', { nonNullable: true }) });
  private key = newKey();

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await call(
        this.session.api.GET('/v1/deliveries/{delivery_id}/comments', { params: { path: { delivery_id: this.d.id } } }),
      );
      this.comments.set(page.items);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async add(): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      const c = await call(
        this.session.api.POST('/v1/deliveries/{delivery_id}/comments', {
          params: { path: { delivery_id: this.d.id }, header: { 'Idempotency-Key': this.key } },
          body: { text: this.form.controls.text.value },
        }),
      );
      this.key = newKey();
      this.comments.update((list) => [...list, c]);
      this.form.reset();
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.message.set(formMessage(this.form, e));
    } finally {
      this.busy.set(false);
    }
  }

  startEdit(c: Comment): void {
    this.editForm.setValue({ text: c.text });
    this.editing.set(c.id);
  }

  async saveEdit(c: Comment): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      const updated = await call(
        this.session.api.PATCH('/v1/deliveries/{delivery_id}/comments/{comment_id}', {
          params: { path: { delivery_id: this.d.id, comment_id: c.id } },
          body: { text: this.editForm.controls.text.value },
        }),
      );
      this.comments.update((list) => list.map((x) => (x.id === c.id ? updated : x)));
      this.editing.set(null);
    } catch (e) {
      this.message.set(formMessage(this.editForm, e));
    } finally {
      this.busy.set(false);
    }
  }

  async remove(c: Comment): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      await call(
        this.session.api.DELETE('/v1/deliveries/{delivery_id}/comments/{comment_id}', {
          params: { path: { delivery_id: this.d.id, comment_id: c.id } },
        }),
      );
      this.comments.update((list) => list.filter((x) => x.id !== c.id));
    } catch (e) {
      this.message.set(describe(e));
    } finally {
      this.busy.set(false);
    }
  }
}
