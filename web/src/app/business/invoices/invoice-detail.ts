import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';
import { rupees } from '../../core/format';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import { InvoiceDetail as Detail, METHODS, PaymentMethod } from './billing';
import { todayIn } from '../../core/dates';
import { newKey, saveFile } from '../../core/files';
import { bpToPercent, paiseToRupees, rupeesToPaise } from './compute';
import { stateName } from './gst-states';
import { SendDialog, SendDialogData, SendOutcome } from './send-dialog';
import { Channels, lastResultText, messageEventText, stageLabel } from '../notifications/words';
import type { components } from '../../api/schema';

type StockWarning = components['schemas']['StockWarning'];

/** Words for the actions of an invoice's history. */
const ACTIONS: Record<string, string> = {
  created: 'Created',
  issued: 'Issued',
  updated: 'Changed',
  cancelled: 'Cancelled',
  payment_recorded: 'Payment recorded',
  payment_voided: 'Payment voided',
  disputed: 'Disputed',
  notification_sent: 'Message',
  notification_failed: 'Message failed',
  notification_sending: 'Message',
};

/**
 * One invoice (`GET /v1/invoices/{id}`): lines, totals, status, payments
 * and history (with the messages sent about it); record a (part) payment,
 * void one, issue a draft, cancel, send it to the customer by SMS or mail,
 * and the PDF (a short-lived link) to open or download. Shows when its next
 * payment reminder is due.
 */
@Component({
  selector: 'app-invoice-detail',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    ListState,
    ...FORMAT_PIPES,
  ],
  templateUrl: './invoice-detail.html',
  styleUrl: './invoice-detail.css',
})
export class InvoiceDetail {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);
  /** From the route: `/business/invoices/:invoiceId`. */
  readonly invoiceId = input.required<string>();

  readonly invoice = signal<Detail | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly notice = signal<string | null>(
    (history.state as { notice?: string } | null)?.notice ?? null,
  );
  /** Sales beyond stock on hand reported by the save or issue that made them (the `warn` policy). */
  readonly stockWarnings = signal<StockWarning[]>(
    (history.state as { stockWarnings?: StockWarning[] } | null)?.stockWarnings ?? [],
  );
  /** Owners see each line's cost of goods and margin. */
  readonly isOwner = computed(() => this.session.user()?.role === 'owner');
  readonly actionError = signal<string | null>(null);
  readonly paying = signal(false);
  readonly payError = signal<string | null>(null);
  readonly methods = METHODS;
  readonly stateName = stateName;
  readonly percent = bpToPercent;
  readonly lineColumns = [
    'no',
    'description',
    'quantity',
    'unit_price',
    'discount',
    'taxable',
    'tax',
    'total',
  ];
  /** The lines' columns, with cost and margin for owners when a line has a cost. */
  readonly columns = computed(() => {
    const costed =
      this.isOwner() &&
      (this.invoice()?.lines ?? []).some((l) => l.cost !== null && l.cost !== undefined);
    return costed ? [...this.lineColumns, 'cost', 'margin'] : this.lineColumns;
  });
  readonly paymentColumns = ['date', 'method', 'reference', 'amount', 'status', 'actions'];
  private payKey = newKey();

  readonly payForm = new FormGroup({
    amount: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    date: new FormControl(todayIn(), { nonNullable: true }),
    method: new FormControl<PaymentMethod>('upi', { nonNullable: true }),
    reference: new FormControl('', { nonNullable: true }),
    notes: new FormControl('', { nonNullable: true }),
  });

  readonly isDraft = computed(() => this.invoice()?.status === 'draft');
  readonly isCancelled = computed(() => this.invoice()?.status === 'cancelled');
  readonly canPay = computed(() => {
    const i = this.invoice();
    return !!i && !this.isDraft() && !this.isCancelled() && i.balance_due > 0;
  });
  readonly canEdit = computed(() => {
    const i = this.invoice();
    return (
      !!i &&
      (i.status === 'draft' ||
        ((i.status === 'unpaid' || i.status === 'overdue') && i.amount_paid === 0 && !i.disputed))
    );
  });
  readonly canCancel = computed(() => {
    const i = this.invoice();
    return !!i && !this.isDraft() && !this.isCancelled() && i.amount_paid === 0;
  });
  /** Issued and not cancelled: it can be sent to the customer. */
  readonly canSend = computed(() => !!this.invoice() && !this.isDraft() && !this.isCancelled());
  /** The reminder policy's channels and whether reminders are on (read from the settings). */
  readonly policy = signal<{ enabled: boolean; channels: Channels } | null>(null);
  readonly customerReminders = signal<boolean | null>(null);
  /** The reminder lines of the Dates card. */
  readonly reminder = computed(() => {
    const r = this.invoice()?.reminder;
    if (!r || this.isDraft() || this.isCancelled()) return null;
    const policy = this.policy();
    let why: string | null = null;
    if (policy && !policy.enabled) why = 'payment reminders are off in Settings';
    else if (this.customerReminders() === false) why = 'reminders are off for this customer';
    const last =
      r.last_stage !== null && r.last_stage !== undefined
        ? `${stageLabel(r.last_stage)}: ${lastResultText(r.last_result)}`
        : null;
    return { next: r.next_at ?? null, why, last, sent: r.sent ?? 0 };
  });
  readonly recorded = computed(() =>
    (this.invoice()?.payments ?? []).filter((p) => !this.voided(p.status)),
  );

  constructor() {
    effect(() => {
      this.invoiceId();
      untracked(() => void this.load());
    });
    void this.loadPolicy();
    this.payForm.valueChanges.subscribe(() => (this.payKey = newKey()));
  }

  /** The API lists payment statuses `recorded` and `voided` (its schema names another enum). */
  voided(status: string): boolean {
    return status === 'voided';
  }

  actionText(action: string): string {
    return ACTIONS[action] ?? action;
  }

  /** The API's words for an event, with amounts in rupees (`100000 paise` → `₹1,000.00`). */
  detailText(detail: string, action = ''): string {
    if (action.startsWith('notification_')) return messageEventText(detail);
    return detail
      .replace(/(\d+) paise/g, (_, n: string) => rupees(Number(n)))
      .replace(/ \((pay|inv)_\w+\)/g, '');
  }

  methodText(method: string): string {
    return METHODS.find((m) => m.value === method)?.text ?? method;
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      const i = await call(
        this.session.api.GET('/v1/invoices/{invoice_id}', {
          params: { path: { invoice_id: this.invoiceId() } },
        }),
      );
      this.invoice.set(i);
      if (this.customerReminders() === null) void this.loadCustomer(i.customer_id);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  private async loadPolicy(): Promise<void> {
    try {
      const s = await call(this.session.api.GET('/v1/business/settings'));
      this.policy.set({
        enabled: !!s.reminders?.enabled,
        channels: s.reminders?.channels ?? 'sms',
      });
    } catch {
      // Without the settings the dialog offers SMS first and the card names no reason.
    }
  }

  private async loadCustomer(
    id: string,
  ): Promise<{ phone: string | null; email: string | null } | null> {
    try {
      const c = await call(
        this.session.api.GET('/v1/customers/{customer_id}', {
          params: { path: { customer_id: id } },
        }),
      );
      this.customerReminders.set(c.reminders ?? true);
      return { phone: c.phone ?? null, email: c.email ?? null };
    } catch {
      return null;
    }
  }

  /** Asks how (SMS, mail, both), sends, says what happened, and shows the history with it. */
  async send(): Promise<void> {
    const i = this.invoice();
    if (!i) return;
    this.actionError.set(null);
    this.busy.set(true);
    const contact = await this.loadCustomer(i.customer_id);
    this.busy.set(false);
    const ref = this.dialog.open<SendDialog, SendDialogData, SendOutcome>(SendDialog, {
      data: {
        invoiceId: i.id,
        number: i.number ?? 'the invoice',
        customerName: i.customer_name,
        phone: contact?.phone ?? null,
        email: contact?.email ?? null,
        channels: this.policy()?.channels ?? 'sms',
      },
      width: '460px',
      maxWidth: '95vw',
    });
    const outcome = await firstValueFrom(ref.afterClosed());
    if (!outcome) return;
    this.snack.open(outcome.message, 'OK', { duration: 10_000 });
    if (outcome.sent) await this.load();
  }

  /** Runs an action, then shows its message (`done`, or what `work` returns) and the invoice again. */
  private async act(work: () => Promise<string | unknown>, done: string): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.notice.set(null);
    try {
      const said = await work();
      await this.load();
      this.notice.set(typeof said === 'string' ? said : done);
    } catch (e) {
      this.actionError.set(describe(e));
    } finally {
      this.busy.set(false);
    }
  }

  async issue(): Promise<void> {
    const answer = await this.confirm.ask({
      title: 'Issue this invoice?',
      message:
        'It gets the next invoice number and counts in the customer’s balance. Issued invoices keep their number.',
      action: 'Issue',
    });
    if (!answer) return;
    const id = this.invoiceId();
    await this.act(async () => {
      const i = await call(
        this.session.api.POST('/v1/invoices/{invoice_id}/issue', {
          params: { path: { invoice_id: id } },
        }),
      );
      this.stockWarnings.set(i.stock_warnings ?? []);
      return `Invoice ${i.number} was issued.`;
    }, 'The invoice was issued.');
  }

  async cancel(): Promise<void> {
    const i = this.invoice();
    if (!i) return;
    const answer = await this.confirm.ask({
      title: `Cancel ${i.number ?? 'this draft'}?`,
      message:
        'A cancelled invoice leaves the customer’s balance at once. Its number stays used and is not given again.',
      action: 'Cancel invoice',
      note: 'optional',
      destructive: true,
    });
    if (!answer) return;
    await this.act(
      () =>
        call(
          this.session.api.POST('/v1/invoices/{invoice_id}/cancel', {
            params: { path: { invoice_id: i.id } },
            body: { reason: answer.note },
          }),
        ),
      'The invoice was cancelled.',
    );
  }

  /** Deletes a draft (`DELETE /v1/invoices/{id}`; issued invoices are cancelled instead). */
  async remove(): Promise<void> {
    const answer = await this.confirm.ask({
      title: 'Delete this draft?',
      message:
        'The draft and its history are removed. It never had a number, so no number is lost.',
      action: 'Delete draft',
      destructive: true,
    });
    if (!answer) return;
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await call(
        this.session.api.DELETE('/v1/invoices/{invoice_id}', {
          params: { path: { invoice_id: this.invoiceId() } },
        }),
      );
      await this.router.navigate(['/business/invoices'], {
        state: { notice: `The draft for ${this.invoice()?.customer_name} was deleted.` },
      });
    } catch (e) {
      this.actionError.set(describe(e));
    } finally {
      this.busy.set(false);
    }
  }

  openPayment(): void {
    const i = this.invoice();
    if (!i) return;
    this.payForm.reset({
      amount: paiseToRupees(i.balance_due),
      date: todayIn(),
      method: 'upi',
      reference: '',
      notes: '',
    });
    this.payError.set(null);
    this.paying.set(true);
    setTimeout(() => document.getElementById('pay-amount')?.focus());
  }

  async recordPayment(): Promise<void> {
    this.payForm.markAllAsTouched();
    this.payError.set(null);
    const v = this.payForm.getRawValue();
    const amount = rupeesToPaise(v.amount);
    if (amount === null) {
      this.payForm.controls.amount.setErrors({
        api: 'An amount in rupees, such as 1500 or 1,500.50',
      });
      return;
    }
    if (this.payForm.invalid) return;
    this.busy.set(true);
    try {
      const payment = await call(
        this.session.api.POST('/v1/invoices/{invoice_id}/payments', {
          params: {
            path: { invoice_id: this.invoiceId() },
            header: { 'Idempotency-Key': this.payKey },
          },
          body: {
            amount,
            date: v.date || null,
            method: v.method,
            reference: v.reference.trim() || null,
            notes: v.notes.trim() || null,
          },
        }),
      );
      this.paying.set(false);
      await this.load();
      const left = this.invoice()?.balance_due ?? 0;
      this.notice.set(
        `A payment of ${rupees(payment.amount)} was recorded. ${left ? `${rupees(left)} is still due.` : 'The invoice is paid in full.'}`,
      );
    } catch (e) {
      this.payError.set(formMessage(this.payForm, e));
    } finally {
      this.busy.set(false);
    }
  }

  async voidPayment(paymentId: string, amount: number): Promise<void> {
    const answer = await this.confirm.ask({
      title: `Void the payment of ${rupees(amount)}?`,
      message: 'Every balance it changed is restored: the amount is due again.',
      action: 'Void payment',
      note: 'required',
      destructive: true,
    });
    if (!answer?.note) return;
    await this.act(
      () =>
        call(
          this.session.api.POST('/v1/payments/{payment_id}/void', {
            params: { path: { payment_id: paymentId } },
            body: { reason: answer.note! },
          }),
        ),
      `The payment of ${rupees(amount)} was voided.`,
    );
  }

  private async pdfLink(): Promise<string | null> {
    this.actionError.set(null);
    try {
      const link = await call(
        this.session.api.GET('/v1/invoices/{invoice_id}/pdf', {
          params: { path: { invoice_id: this.invoiceId() } },
        }),
      );
      return link.url;
    } catch (e) {
      this.actionError.set(`The PDF could not be made: ${describe(e)}`);
      return null;
    }
  }

  /** Opens the PDF in a new tab (the tab is opened at the click, so no pop-up blocker stops it). */
  async openPdf(): Promise<void> {
    const tab = window.open('', '_blank');
    const url = await this.pdfLink();
    if (!url) {
      tab?.close();
      return;
    }
    if (tab) {
      tab.opener = null;
      tab.location.href = url;
    } else {
      window.location.href = url;
    }
  }

  /** Downloads the PDF as a file named after the invoice. */
  async downloadPdf(): Promise<void> {
    const url = await this.pdfLink();
    if (!url) return;
    const name = `${(this.invoice()?.number ?? 'draft-invoice').replace(/[^\w.-]+/g, '-')}.pdf`;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(String(response.status));
      saveFile(await response.blob(), name);
    } catch {
      // The link's host may not allow reading it from here: let the browser fetch it.
      window.open(url, '_blank', 'noopener');
    }
  }
}
