import { LowerCasePipe } from '@angular/common';
import { Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, FormsModule, ReactiveFormsModule } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe, formMessage, refused } from '../../core/problem';
import { Session } from '../../core/session';
import { Delivery, qty, sameQty } from './days';

type Comment = components['schemas']['Comment'];
type Status = components['schemas']['DeliveryStatus'];

/** What the day's dialog is about: one order on one date. */
export interface DayData {
  orderId: string;
  customer: string;
  item: string;
  unit: string;
  date: string;
  /** The order's quantity on the date. */
  planned: string;
  /** Whether the date is off the order's days of the week. */
  extra: boolean;
  record: Delivery | null;
}

/**
 * One order's day: its record (with who changed what), a correction, the
 * comments of both sides; or, for a day not marked yet, a mark.
 */
@Component({
  selector: 'app-day-dialog',
  imports: [LowerCasePipe, FormsModule, ReactiveFormsModule, MatDialogModule, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, ...FORMAT_PIPES],
  template: `
    <h2 mat-dialog-title>{{ data.customer }} · {{ data.date | indianDate }}</h2>
    <mat-dialog-content>
      <p class="muted">
        {{ data.item }} · ordered {{ qty(data.planned) }} {{ data.unit }}{{ data.extra ? ' · not a delivery day' : '' }}
      </p>
      @if (record(); as r) {
        <p class="state">
          <span class="chip {{ r.status }}">{{ r.status | label }}</span>
          @if (r.status === 'delivered') {
            <strong>{{ qty(r.quantity) }} {{ r.unit }}</strong> · {{ r.amount | rupees }}
          }
          <span class="muted"> · last changed by the {{ r.updated_by_role | label | lowercase }}, {{ r.updated_at | indianDateTime }}</span>
        </p>
        @if (r.history.length) {
          <h3>Corrections</h3>
          <ul class="history">
            @for (h of r.history; track $index) {
              <li>
                {{ h.from_status | label }} {{ qty(h.from_quantity) }} → {{ h.to_status | label }} {{ qty(h.to_quantity) }}
                <span class="muted">by the {{ h.role | label | lowercase }}, {{ h.at | indianDateTime }}</span>
                @if (h.reason) {
                  <div>“{{ h.reason }}”</div>
                }
              </li>
            }
          </ul>
        }

        <h3>Correct this day</h3>
        <form [formGroup]="fix" (ngSubmit)="correct()" class="fix">
          <mat-button-toggle-group formControlName="status" aria-label="What happened" class="big">
            <mat-button-toggle value="delivered">Delivered</mat-button-toggle>
            <mat-button-toggle value="skipped">Skipped</mat-button-toggle>
          </mat-button-toggle-group>
          @if (fix.controls.status.value === 'delivered') {
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="qty">
              <mat-label>Quantity ({{ data.unit }})</mat-label>
              <input matInput formControlName="quantity" inputmode="decimal" />
              <mat-error>{{ fix.controls.quantity.getError('api') }}</mat-error>
            </mat-form-field>
          }
          <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
            <mat-label>Reason (the customer sees it)</mat-label>
            <input matInput formControlName="reason" maxlength="500" />
            <mat-error>{{ fix.controls.reason.getError('api') }}</mat-error>
          </mat-form-field>
          <button mat-flat-button type="submit" [disabled]="busy()">Save correction</button>
        </form>

        <h3>Comments</h3>
        @if (commentsError(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        <ul class="comments">
          @for (c of comments(); track c.id) {
            <li>
              <div>
                <strong>{{ c.author_name }}</strong>
                <span class="muted">({{ c.author_role | label }}), {{ c.created_at | indianDateTime }}{{ c.version > 1 ? ', edited' : '' }}</span>
              </div>
              @if (editing() === c.id) {
                <form (ngSubmit)="saveEdit(c)" class="edit">
                  <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
                    <mat-label>Edit comment</mat-label>
                    <textarea matInput [formControl]="editText" rows="2" maxlength="1000"></textarea>
                  </mat-form-field>
                  <div class="actions">
                    <button mat-flat-button type="submit" [disabled]="busy()">Save</button>
                    <button mat-button type="button" (click)="editing.set(null)">Cancel</button>
                  </div>
                </form>
              } @else {
                <p class="text">{{ c.text }}</p>
                @if (c.author_id === me) {
                  <div class="actions">
                    <button mat-button type="button" (click)="startEdit(c)">Edit</button>
                    <button mat-button type="button" (click)="remove(c)">Delete</button>
                  </div>
                }
              }
            </li>
          } @empty {
            <li class="muted">No comments.</li>
          }
        </ul>
        <form (ngSubmit)="addComment()" class="add">
          <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
            <mat-label>Add a comment</mat-label>
            <textarea matInput [formControl]="newText" rows="2" maxlength="1000"></textarea>
            <mat-error>{{ newText.getError('api') }}</mat-error>
          </mat-form-field>
          <button mat-stroked-button type="submit" [disabled]="busy()">Comment</button>
        </form>
      } @else {
        <p>This day is not marked yet.</p>
        <form [formGroup]="fix" (ngSubmit)="mark()" class="fix">
          <mat-button-toggle-group formControlName="status" aria-label="What happened" class="big">
            <mat-button-toggle value="delivered">Delivered</mat-button-toggle>
            <mat-button-toggle value="skipped">Skipped</mat-button-toggle>
          </mat-button-toggle-group>
          @if (fix.controls.status.value === 'delivered') {
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="qty">
              <mat-label>Quantity ({{ data.unit }})</mat-label>
              <input matInput formControlName="quantity" inputmode="decimal" />
              <mat-error>{{ fix.controls.quantity.getError('api') }}</mat-error>
            </mat-form-field>
          }
          <button mat-flat-button type="submit" [disabled]="busy()">Mark the day</button>
        </form>
      }
      @if (message(); as m) {
        <p class="error-text" role="alert">{{ m }}</p>
      }
      @if (notice(); as n) {
        <p class="notice" role="status">{{ n }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="close()">Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    h3 { font-size: 1rem; font-weight: 500; margin: 16px 0 6px; }
    .state { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
    .chip.delivered { background: #d7f5dd; color: #0b5a1f; }
    .chip.skipped { background: #fff1c7; color: #6b4e00; }
    .fix { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
    .big .mat-button-toggle { min-width: 104px; }
    .qty { width: 140px; }
    .wide { width: 100%; }
    .history, .comments { padding-left: 18px; margin: 4px 0; }
    .history li, .comments li { margin-bottom: 8px; }
    .comments .text { margin: 2px 0; white-space: pre-wrap; }
    .add { display: flex; flex-direction: column; align-items: flex-start; gap: 8px; margin-top: 8px; }
    .edit { display: flex; flex-direction: column; gap: 4px; }
  `,
})
export class DayDialog {
  readonly data = inject<DayData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<DayDialog, boolean>);
  private readonly session = inject(Session);
  readonly me = this.session.user()?.id;
  readonly qty = qty;

  readonly record = signal<Delivery | null>(this.data.record);
  readonly comments = signal<Comment[]>([]);
  readonly commentsError = signal<string | null>(null);
  readonly busy = signal(false);
  readonly message = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly editing = signal<string | null>(null);
  /** Whether a record was marked or corrected (the caller reloads). */
  changed = false;

  readonly fix = new FormGroup({
    status: new FormControl<Status>(this.data.record?.status ?? 'delivered', { nonNullable: true }),
    quantity: new FormControl(qty(this.data.record && this.data.record.status === 'delivered' ? this.data.record.quantity : this.data.planned), {
      nonNullable: true,
    }),
    reason: new FormControl('', { nonNullable: true }),
  });
  readonly newText = new FormControl('', { nonNullable: true });
  readonly editText = new FormControl('', { nonNullable: true });
  private key = newKey();

  constructor() {
    if (this.data.record) void this.loadComments();
  }

  close(): void {
    this.ref.close(this.changed);
  }

  async loadComments(): Promise<void> {
    const r = this.record();
    if (!r) return;
    this.commentsError.set(null);
    try {
      const page = await call(this.session.api.GET('/v1/deliveries/{delivery_id}/comments', { params: { path: { delivery_id: r.id } } }));
      this.comments.set(page.items);
    } catch (e) {
      this.commentsError.set(describe(e));
    }
  }

  async mark(): Promise<void> {
    const v = this.fix.getRawValue();
    await this.run(async () => {
      const d = await call(
        this.session.api.POST('/v1/orders/{order_id}/deliveries', {
          params: { path: { order_id: this.data.orderId } },
          body: {
            date: this.data.date,
            status: v.status,
            quantity: v.status === 'delivered' && !sameQty(v.quantity, this.data.planned) ? v.quantity.trim() : null,
            extra: this.data.extra || undefined,
          },
        }),
      );
      this.record.set(d);
      this.notice.set(d.status === 'delivered' ? `Marked delivered: ${qty(d.quantity)} ${d.unit}.` : 'Marked skipped.');
      void this.loadComments();
    });
  }

  async correct(): Promise<void> {
    const r = this.record();
    if (!r) return;
    const v = this.fix.getRawValue();
    await this.run(async () => {
      const d = await call(
        this.session.api.PATCH('/v1/deliveries/{delivery_id}', {
          params: { path: { delivery_id: r.id } },
          body: {
            status: v.status,
            quantity: v.status === 'delivered' ? v.quantity.trim() : null,
            reason: v.reason.trim() || null,
            version: r.version,
          },
        }),
      );
      this.record.set(d);
      this.fix.controls.reason.setValue('');
      this.notice.set('The correction is saved.');
    });
  }

  async addComment(): Promise<void> {
    const r = this.record();
    if (!r) return;
    const text = this.newText.value.trim();
    try {
      this.busy.set(true);
      this.message.set(null);
      const c = await call(
        this.session.api.POST('/v1/deliveries/{delivery_id}/comments', {
          params: { path: { delivery_id: r.id }, header: { 'Idempotency-Key': this.key } },
          body: { text },
        }),
      );
      this.key = newKey();
      this.comments.update((list) => [...list, c]);
      this.newText.setValue('');
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      const field = new FormGroup({ text: this.newText });
      this.message.set(formMessage(field, e));
    } finally {
      this.busy.set(false);
    }
  }

  startEdit(c: Comment): void {
    this.editText.setValue(c.text);
    this.editing.set(c.id);
  }

  async saveEdit(c: Comment): Promise<void> {
    await this.run(async () => {
      const updated = await call(
        this.session.api.PATCH('/v1/deliveries/{delivery_id}/comments/{comment_id}', {
          params: { path: { delivery_id: c.delivery_id, comment_id: c.id } },
          body: { text: this.editText.value.trim() },
        }),
      );
      this.comments.update((list) => list.map((x) => (x.id === c.id ? updated : x)));
      this.editing.set(null);
    }, false);
  }

  async remove(c: Comment): Promise<void> {
    await this.run(async () => {
      await call(
        this.session.api.DELETE('/v1/deliveries/{delivery_id}/comments/{comment_id}', {
          params: { path: { delivery_id: c.delivery_id, comment_id: c.id } },
        }),
      );
      this.comments.update((list) => list.filter((x) => x.id !== c.id));
    }, false);
  }

  /** Runs an action with the busy state; API field errors go on the form. */
  private async run(action: () => Promise<void>, changesRecord = true): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    this.notice.set(null);
    try {
      await action();
      if (changesRecord) this.changed = true;
    } catch (e) {
      this.message.set(formMessage(this.fix, e));
    } finally {
      this.busy.set(false);
    }
  }
}

/** Opens the day's dialog; true when a record was marked or corrected. */
export async function openDay(dialog: MatDialog, data: DayData): Promise<boolean> {
  const ref = dialog.open<DayDialog, DayData, boolean>(DayDialog, { data, width: '560px', maxWidth: '96vw', autoFocus: 'dialog' });
  const instance = ref.componentInstance;
  await firstValueFrom(ref.afterClosed());
  return instance.changed;
}
