import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { openDay } from './day-dialog';
import {
  BusinessCalendar,
  Delivery,
  Order,
  addDays,
  allPages,
  isDate,
  monthOf,
  qty,
  sameQty,
  scheduledOn,
  termsOn,
  validOn,
  weekdayShort,
} from './days';
import { DeliveriesNav } from './nav';

type Status = components['schemas']['DeliveryStatus'];
type BulkError = components['schemas']['BulkError'];

/** Most marks in one bulk call (the API's limit). */
const BULK_MAX = 500;

/** One order of the day's round and what the vendor ticked for it. */
interface RoundRow {
  order: Order;
  /** Quantity per delivery on the day (the order's terms). */
  planned: string;
  /** Not one of the order's days of the week: an extra delivery. */
  extra: boolean;
  /** The day's record, once marked. */
  record: Delivery | null;
  /** What will be sent: null leaves the order unmarked (extra orders start so). */
  status: Status | null;
  quantity: string;
  /** The outcome of the last submit for this row. */
  result: { ok: boolean; text: string } | null;
}

function errorText(e: BulkError | null | undefined): string {
  if (!e) return 'Not saved.';
  const fields = (e.errors ?? []).map((f) => f.detail).filter((d) => d && d !== e.detail);
  return [e.detail, ...fields].join(' · ');
}

/**
 * The morning round (`/business/deliveries?date=`): every active order due
 * on the day, one row each, ticked delivered or skipped (or a changed
 * quantity) and sent in one bulk call, with the outcome on each row.
 */
@Component({
  selector: 'app-round',
  imports: [FormsModule, RouterLink, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, ListState, DeliveriesNav, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-deliveries-nav [month]="month()" />
      <div class="page-head">
        <h1>Round of {{ weekday() }}, {{ day() | indianDate }}</h1>
      </div>

      <div class="day-bar">
        <button mat-stroked-button type="button" class="step" (click)="go(-1)" aria-label="Previous day">‹</button>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="date">
          <mat-label>Day</mat-label>
          <input matInput type="date" [ngModel]="day()" (ngModelChange)="pick($event)" [max]="today() ?? ''" name="date" />
        </mat-form-field>
        <button mat-stroked-button type="button" class="step" (click)="go(1)" [disabled]="!!today() && day() >= today()!" aria-label="Next day">›</button>
        @if (today() && day() !== today()) {
          <button mat-button type="button" (click)="pick(today()!)">Today</button>
        }
      </div>
      @if (isFuture()) {
        <p class="notice" role="status">This day has not come yet: you can see who is due, and mark it on the day.</p>
      }

      <app-list-state [loading]="loading()" [error]="error()" [empty]="rows().length === 0 && extras().length === 0" [emptyText]="emptyText()" (retry)="load()">
        <section class="summary" aria-label="The round in figures">
          <span><strong>{{ rows().length }}</strong> due</span>
          <span><strong>{{ counts().deliver }}</strong> to deliver</span>
          <span><strong>{{ counts().skip }}</strong> to skip</span>
          @if (counts().changed) {
            <span><strong>{{ counts().changed }}</strong> changed</span>
          }
          <span><strong>{{ counts().marked }}</strong> marked</span>
        </section>

        @if (rows().length > 8) {
          <mat-form-field appearance="outline" subscriptSizing="dynamic" class="find">
            <mat-label>Find a customer</mat-label>
            <input matInput [ngModel]="filter()" (ngModelChange)="filter.set($event)" name="filter" autocomplete="off" />
          </mat-form-field>
        }

        <ul class="round" aria-label="Orders due">
          @for (row of shown(); track row.order.id) {
            <li
              class="row"
              [class.marked]="!!row.record"
              [class.skipped]="row.status === 'skipped'"
              [class.failed]="row.result && !row.result.ok"
              [attr.aria-label]="row.order.customer_name"
            >
              <div class="who">
                <a class="name" [routerLink]="['/business/deliveries/customers', row.order.customer_id, month()]">{{ row.order.customer_name }}</a>
                <span class="muted">
                  {{ row.order.item }} · {{ qty(row.planned) }} {{ row.order.unit }}{{ row.extra ? ' · extra' : '' }}
                  @if (isChanged(row)) {
                    <strong class="changed-note">→ {{ row.quantity || '?' }} today</strong>
                  }
                </span>
              </div>
              @if (row.record; as r) {
                <div class="done">
                  <span class="chip {{ r.status }}">
                    {{ r.status === 'delivered' ? 'Delivered ' + qty(r.quantity) + ' ' + r.unit : 'Skipped' }}
                  </span>
                  <button mat-button type="button" (click)="open(row)" [attr.aria-label]="'Correct or comment: ' + row.order.customer_name">Correct</button>
                </div>
              } @else {
                <div class="controls">
                  <mat-button-toggle-group
                    [value]="row.status"
                    (change)="setStatus(row, $event.value)"
                    [attr.aria-label]="'Delivery for ' + row.order.customer_name"
                    class="big"
                    hideSingleSelectionIndicator
                  >
                    <mat-button-toggle value="delivered" class="t-delivered">Delivered</mat-button-toggle>
                    <mat-button-toggle value="skipped" class="t-skipped">Skipped</mat-button-toggle>
                  </mat-button-toggle-group>
                  <mat-form-field appearance="outline" subscriptSizing="dynamic" class="qty" [class.changed]="isChanged(row)">
                    <mat-label>Qty ({{ row.order.unit }})</mat-label>
                    <input
                      matInput
                      inputmode="decimal"
                      [value]="row.status === 'skipped' ? '0' : row.quantity"
                      (input)="setQuantity(row, $any($event.target).value)"
                      [disabled]="row.status !== 'delivered'"
                      [attr.aria-label]="'Quantity for ' + row.order.customer_name + ' in ' + row.order.unit"
                    />
                  </mat-form-field>
                </div>
              }
              @if (row.result; as res) {
                <p class="result" [class.ok]="res.ok" [class.error-text]="!res.ok">{{ res.ok ? '✓ ' : '✗ ' }}{{ res.text }}</p>
              }
            </li>
          }
        </ul>

        @if (extras().length) {
          <details class="extras">
            <summary>{{ extras().length }} other active {{ extras().length === 1 ? 'order is' : 'orders are' }} not due this day (extra delivery)</summary>
            <ul class="round" aria-label="Orders not due">
              @for (row of extras(); track row.order.id) {
                <li class="row" [attr.aria-label]="row.order.customer_name">
                  <div class="who">
                    <span class="name">{{ row.order.customer_name }}</span>
                    <span class="muted">{{ row.order.item }} · {{ qty(row.planned) }} {{ row.order.unit }}</span>
                  </div>
                  <div class="controls">
                    <button mat-stroked-button type="button" class="add" (click)="addExtra(row)">Add an extra delivery</button>
                  </div>
                </li>
              }
            </ul>
          </details>
        }

        <div class="submit-bar">
          @if (outcome(); as o) {
            <p role="status" class="outcome" [class.error-text]="o.failed > 0">{{ o.text }}</p>
          }
          <button mat-flat-button type="button" class="submit" (click)="submit()" [disabled]="saving() || pending().length === 0">
            {{ saving() ? 'Saving…' : pending().length ? 'Save ' + pending().length + (pending().length === 1 ? ' mark' : ' marks') : 'All marked' }}
          </button>
        </div>
      </app-list-state>
    </div>
  `,
  styles: `
    .day-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 12px; }
    .day-bar button { min-height: 48px; }
    .day-bar .step { min-width: 48px; padding: 0 12px; font-size: 1.3rem; }
    .date { flex: 0 1 180px; min-width: 140px; }
    .summary { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0 12px; color: var(--mat-sys-on-surface-variant); }
    .summary strong { color: var(--mat-sys-on-surface); font-size: 1.1rem; }
    .find { width: 100%; max-width: 360px; margin-bottom: 8px; }
    .round { list-style: none; margin: 0; padding: 0; max-width: 880px; }
    .row {
      display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 10px 12px;
      border: 1px solid var(--mat-sys-outline-variant, #ddd); border-radius: 12px; margin-bottom: 8px;
      background: var(--mat-sys-surface, #fff);
    }
    .row.skipped { background: #fffaf0; }
    .row.marked { background: var(--mat-sys-surface-container-low, #f6f6f9); }
    .row.failed { border-color: var(--mat-sys-error); }
    .who { flex: 1 1 220px; display: flex; flex-direction: column; min-width: 0; }
    .name { font-weight: 500; font-size: 1.05rem; overflow-wrap: anywhere; }
    a.name { text-decoration: none; color: inherit; }
    a.name:hover, a.name:focus-visible { text-decoration: underline; }
    .controls, .done { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
    .big { height: 48px; }
    .big .mat-button-toggle { min-width: 104px; }
    .big ::ng-deep .mat-button-toggle-label-content { line-height: 46px; font-size: 1rem; }
    .qty { width: 104px; }
    .t-delivered { --mat-button-toggle-selected-state-background-color: #c8efd0; --mat-button-toggle-selected-state-text-color: #0b5a1f; }
    .t-skipped { --mat-button-toggle-selected-state-background-color: #ffe49a; --mat-button-toggle-selected-state-text-color: #5a3f00; }
    .mat-button-toggle-checked { font-weight: 600; }
    .changed-note { color: #1a4fb4; margin-left: 4px; }
    .qty.changed { --mat-form-field-outlined-outline-color: #1a4fb4; --mat-form-field-outlined-hover-outline-color: #1a4fb4; }
    .chip.delivered { background: #d7f5dd; color: #0b5a1f; font-size: 0.95rem; padding: 6px 12px; }
    .chip.skipped { background: #fff1c7; color: #6b4e00; font-size: 0.95rem; padding: 6px 12px; }
    .done button, .add { min-height: 48px; }
    .result { flex-basis: 100%; margin: 0; font-size: 0.95rem; }
    .result.ok { color: #0b5a1f; }
    .extras { margin: 12px 0; max-width: 880px; }
    .extras summary { cursor: pointer; padding: 12px 0; min-height: 24px; }
    .submit-bar {
      position: sticky; bottom: 0; z-index: 1; display: flex; flex-wrap: wrap; align-items: center; justify-content: flex-end;
      gap: 8px 16px; padding: 12px 0; background: var(--mat-sys-surface-container-lowest, #fff); max-width: 880px;
      border-top: 1px solid var(--mat-sys-outline-variant, #ddd);
    }
    .outcome { margin: 0; flex: 1 1 200px; }
    .submit { min-height: 56px; min-width: 200px; font-size: 1.05rem; }
    @media (max-width: 600px) {
      .controls { width: 100%; }
      .big { flex: 1; }
      .big .mat-button-toggle { flex: 1; min-width: 0; }
      .submit { width: 100%; }
    }
  `,
})
export class Round {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly calendar = inject(BusinessCalendar);
  private readonly dialog = inject(MatDialog);
  readonly qty = qty;

  /** From the query string: the day, `yyyy-mm-dd` (default today). */
  readonly date = input<string>();
  readonly today = signal<string | null>(null);
  readonly day = computed(() => (isDate(this.date()) ? this.date()! : (this.today() ?? '')));
  readonly month = computed(() => (this.day() ? monthOf(this.day()) : null));
  readonly weekday = computed(() => (this.day() ? weekdayShort(this.day()) : ''));
  readonly isFuture = computed(() => !!this.today() && this.day() > this.today()!);

  readonly rows = signal<RoundRow[]>([]);
  readonly extras = signal<RoundRow[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);
  readonly outcome = signal<{ text: string; failed: number } | null>(null);
  readonly filter = signal('');

  readonly emptyText = computed(() => 'No active order is due this day. Add orders under Orders.');
  readonly shown = computed(() => {
    const words = this.filter().trim().toLowerCase();
    return words ? this.rows().filter((r) => r.order.customer_name.toLowerCase().includes(words)) : this.rows();
  });
  readonly pending = computed(() => this.rows().filter((r) => !r.record && r.status));
  readonly counts = computed(() => {
    const rows = this.rows();
    return {
      deliver: rows.filter((r) => !r.record && r.status === 'delivered').length,
      skip: rows.filter((r) => !r.record && r.status === 'skipped').length,
      changed: rows.filter((r) => this.isChanged(r)).length,
      marked: rows.filter((r) => r.record).length,
    };
  });

  constructor() {
    void this.calendar.today().then((t) => this.today.set(t));
    effect(() => {
      if (this.day()) void this.load();
    });
  }

  isChanged(row: RoundRow): boolean {
    return !row.record && row.status === 'delivered' && !sameQty(row.quantity, row.planned);
  }

  pick(date: string): void {
    if (!isDate(date)) return;
    void this.router.navigate([], { queryParams: { date: date === this.today() ? null : date } });
  }

  go(days: number): void {
    this.pick(addDays(this.day(), days));
  }

  async load(): Promise<void> {
    const date = this.day();
    this.loading.set(true);
    this.error.set(null);
    this.outcome.set(null);
    try {
      const month = monthOf(date);
      const [orders, records] = await Promise.all([
        allPages((cursor) => call(this.session.api.GET('/v1/orders', { params: { query: { status: 'active', month, limit: 100, cursor } } }))),
        allPages((cursor) => call(this.session.api.GET('/v1/deliveries', { params: { query: { date, limit: 500, cursor } } }))),
      ]);
      if (date !== this.day()) return; // another day was picked meanwhile
      const byOrder = new Map(records.map((d) => [d.order_id, d]));
      const due: RoundRow[] = [];
      const other: RoundRow[] = [];
      for (const order of orders) {
        if (!validOn(order, date)) continue;
        const record = byOrder.get(order.id) ?? null;
        const scheduled = scheduledOn(order, date);
        const planned = termsOn(order, date).quantity;
        const row: RoundRow = {
          order,
          planned,
          extra: !scheduled,
          record,
          status: scheduled ? 'delivered' : null,
          quantity: qty(planned),
          result: null,
        };
        if (scheduled || record) due.push(row);
        else other.push(row);
      }
      const byName = (a: RoundRow, b: RoundRow) =>
        a.order.customer_name.localeCompare(b.order.customer_name, 'en-IN', { numeric: true }) || a.order.item.localeCompare(b.order.item);
      this.rows.set(due.sort(byName));
      this.extras.set(other.sort(byName));
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  private patch(row: RoundRow, change: Partial<RoundRow>): void {
    this.rows.update((rows) => rows.map((r) => (r.order.id === row.order.id ? { ...r, ...change } : r)));
  }

  setStatus(row: RoundRow, status: Status): void {
    this.patch(row, { status, result: null });
  }

  setQuantity(row: RoundRow, quantity: string): void {
    this.patch(row, { quantity, result: null });
  }

  addExtra(row: RoundRow): void {
    this.extras.update((rows) => rows.filter((r) => r.order.id !== row.order.id));
    this.rows.update((rows) => [...rows, { ...row, status: 'delivered' }]);
  }

  async open(row: RoundRow): Promise<void> {
    const changed = await openDay(this.dialog, {
      orderId: row.order.id,
      customer: row.order.customer_name,
      item: row.order.item,
      unit: row.order.unit,
      date: this.day(),
      planned: row.planned,
      extra: row.extra,
      record: row.record,
    });
    if (changed) {
      const d = await call(
        this.session.api.GET('/v1/orders/{order_id}/deliveries', { params: { path: { order_id: row.order.id }, query: { date: this.day() } } }),
      ).catch(() => null);
      const record = d?.items[0];
      if (record) this.patch(row, { record, result: null });
    }
  }

  /** Sends every unmarked row in one bulk call (more only past 500 marks). */
  async submit(): Promise<void> {
    const todo = this.pending();
    if (!todo.length) return;
    const date = this.day();
    this.saving.set(true);
    this.outcome.set(null);
    let marked = 0;
    let failed = 0;
    let start = 0;
    let conflicts = 0;
    try {
      for (; start < todo.length; start += BULK_MAX) {
        const chunk = todo.slice(start, start + BULK_MAX);
        const answer = await call(
          this.session.api.POST('/v1/deliveries/bulk', {
            body: {
              date,
              items: chunk.map((r) => ({
                order_id: r.order.id,
                status: r.status,
                quantity: r.status === 'delivered' && !sameQty(r.quantity, r.planned) ? r.quantity.trim() : null,
                ...(r.extra ? { extra: true } : {}),
              })),
            },
          }),
        );
        const outcomes = new Map(answer.results.map((res) => [chunk[res.index]?.order.id, res]));
        conflicts += answer.results.filter((res) => res.error?.status === 409).length;
        marked += answer.marked;
        failed += answer.failed;
        this.rows.update((rows) =>
          rows.map((r) => {
            const res = outcomes.get(r.order.id);
            if (!res) return r;
            if (res.delivery) {
              const d = res.delivery;
              return { ...r, record: d, result: { ok: true, text: d.status === 'delivered' ? `Saved: ${qty(d.quantity)} ${d.unit}` : 'Saved: skipped' } };
            }
            return { ...r, result: { ok: false, text: errorText(res.error) } };
          }),
        );
      }
      // A day marked meanwhile from another phone: show that mark on its row.
      let already = 0;
      if (conflicts) {
        const records = await allPages((cursor) =>
          call(this.session.api.GET('/v1/deliveries', { params: { query: { date, limit: 500, cursor } } })),
        ).catch(() => []);
        const byOrder = new Map(records.map((d) => [d.order_id, d]));
        this.rows.update((rows) =>
          rows.map((r) => {
            const record = byOrder.get(r.order.id);
            if (!r.result || r.result.ok || r.record || !record) return r;
            already += 1;
            return { ...r, record, result: { ok: false, text: 'Already marked from another phone: their mark is kept. Correct it if it is wrong.' } };
          }),
        );
      }
      const parts = [`${marked} saved`];
      if (already) parts.push(`${already} already marked by someone else`);
      if (failed - already > 0) parts.push(`${failed - already} not saved: see the rows marked ✗ and try them again`);
      this.outcome.set({ failed: failed - already, text: failed ? `${parts.join(', ')}.` : `All ${marked} saved.` });
    } catch (e) {
      // A request the API cannot read at all (a quantity that is not a
      // number) is refused whole, naming `items[i].…`: show it on the row.
      const rowErrors = new Map<string, string>();
      if (e instanceof ApiProblem) {
        const sent = todo.slice(start, start + BULK_MAX);
        for (const f of e.problem?.errors ?? []) {
          const m = /^items\[(\d+)\]/.exec(f.field);
          const row = m ? sent[Number(m[1])] : undefined;
          if (row) rowErrors.set(row.order.id, f.detail);
        }
      }
      if (rowErrors.size) {
        this.rows.update((rows) =>
          rows.map((r) => (rowErrors.has(r.order.id) ? { ...r, result: { ok: false, text: rowErrors.get(r.order.id)! } } : r)),
        );
        this.outcome.set({
          failed: rowErrors.size,
          text: `Not saved: ${rowErrors.size === 1 ? 'one row needs' : rowErrors.size + ' rows need'} a fix (marked ✗). Nothing else was sent.`,
        });
      } else {
        this.outcome.set({ failed: todo.length, text: `Not saved: ${describe(e)}` });
      }
    } finally {
      this.saving.set(false);
    }
  }
}
