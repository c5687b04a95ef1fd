import { Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';
import { MatRadioModule } from '@angular/material/radio';
import { newKey } from '../../core/files';
import { phone } from '../../core/format';
import { ApiProblem, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { Channels, Notification, retryText, sendResult } from '../notifications/words';

/** What the send dialog is opened with. */
export interface SendDialogData {
  invoiceId: string;
  number: string;
  customerName: string;
  phone: string | null;
  email: string | null;
  /** The reminder policy's channels: the choice offered first. */
  channels: Channels;
}

/** What the dialog closed with: the sentence to show, and whether anything was sent. */
export interface SendOutcome {
  message: string;
  sent: boolean;
}

/**
 * Sends an issued invoice to its customer now (`POST
 * /v1/invoices/{id}/send`) by SMS, mail or both, with the link to its
 * PDF. The API's 422 (no phone or mail address) shows in the dialog; the
 * result, or a 429 (sent a moment ago), closes it with a sentence.
 */
@Component({
  selector: 'app-send-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatRadioModule],
  template: `
    <h2 mat-dialog-title>Send {{ data.number }} to {{ data.customerName }}</h2>
    <mat-dialog-content>
      <p>They get a message with the amount and a link to the invoice PDF.</p>
      <mat-radio-group [formControl]="channels" aria-label="Send by" class="choices">
        <mat-radio-button value="sms">
          SMS
          <span class="muted">{{
            data.phone ? 'to ' + phoneText : '(no phone number on file)'
          }}</span>
        </mat-radio-button>
        <mat-radio-button value="mail">
          Mail
          <span class="muted">{{
            data.email ? 'to ' + data.email : '(no mail address on file)'
          }}</span>
        </mat-radio-button>
        <mat-radio-button value="both">SMS and mail</mat-radio-button>
      </mat-radio-group>
      @if (error(); as e) {
        <p class="error-text" role="alert">{{ e }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="send()" [disabled]="sending()" cdkFocusInitial>
        {{ sending() ? 'Sending…' : 'Send' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .choices {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .muted {
      overflow-wrap: anywhere;
    }
  `,
})
export class SendDialog {
  readonly data = inject<SendDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<SendDialog, SendOutcome>);
  private readonly session = inject(Session);
  readonly channels = new FormControl<Channels>(this.data.channels, { nonNullable: true });
  readonly phoneText = phone(this.data.phone);
  readonly sending = signal(false);
  readonly error = signal<string | null>(null);
  private key = newKey();

  constructor() {
    // Other channels are another request (the same key would be refused).
    this.channels.valueChanges.subscribe(() => (this.key = newKey()));
  }

  async send(): Promise<void> {
    this.sending.set(true);
    this.error.set(null);
    try {
      const { data, error, response } = await this.session.api.POST(
        '/v1/invoices/{invoice_id}/send',
        {
          params: {
            path: { invoice_id: this.data.invoiceId },
            header: { 'Idempotency-Key': this.key },
          },
          body: { channels: this.channels.value },
        },
      );
      if (response.ok && data) {
        const sent = data as Notification[];
        this.ref.close({ message: sendResult(sent), sent: sent.length > 0 });
        return;
      }
      const problem = error as ApiProblem['problem'];
      if (response.status === 429) {
        const after = Number(response.headers.get('Retry-After'));
        this.ref.close({
          message: retryText(Number.isFinite(after) && after > 0 ? after : null, problem?.detail),
          sent: false,
        });
        return;
      }
      // Not sent: the next attempt is a new request.
      if (response.status >= 400 && response.status < 500) this.key = newKey();
      const field = problem?.errors?.[0];
      this.error.set(
        field
          ? `${field.detail.charAt(0).toUpperCase()}${field.detail.slice(1)}.`
          : describe(new ApiProblem(response.status, problem)),
      );
    } catch {
      this.error.set(describe(new ApiProblem(0, null)));
    } finally {
      this.sending.set(false);
    }
  }
}
