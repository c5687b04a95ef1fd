import { Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { debounceTime, distinctUntilChanged, from, of, switchMap } from 'rxjs';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, call, describe, formMessage, refused } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import { BusinessCalendar, DayOfWeek, Order, WEEK, daysText, monthOf, paiseToRupeesText, qty, rupeesToPaise, sameQty, termsOn } from './days';
import { DeliveriesNav } from './nav';
import { changeText } from './orders';

type Customer = components['schemas']['Customer'];
type Product = components['schemas']['Product'];
type NewOrder = components['schemas']['NewOrder'];
type OrderPatch = components['schemas']['OrderPatch'];

const ALL_DAYS: DayOfWeek[] = WEEK.map((w) => w.day);

function rateError(form: FormGroup, text: string): number | null | 'bad' {
  if (!text.trim()) return null;
  const paise = rupeesToPaise(text);
  if (paise === null) {
    form.get('rate')?.setErrors({ api: 'Rupees per unit, like 60 or 60.50' });
    form.get('rate')?.markAsTouched();
    return 'bad';
  }
  return paise;
}

/**
 * A new order (`/business/deliveries/orders/new`) or one order
 * (`/business/deliveries/orders/:orderId`): its terms, pending change and
 * history; edit, stop or resume, delete; accept or decline a customer's
 * on-demand request.
 */
@Component({
  selector: 'app-order',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatAutocompleteModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ListState,
    DeliveriesNav,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <app-deliveries-nav [month]="month()" />
      <p><a routerLink="/business/deliveries/orders">‹ Orders</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (isNew()) {
          <div class="page-head"><h1>New order</h1></div>
        } @else if (order(); as o) {
          <div class="page-head">
            <h1>{{ o.item }} for {{ o.customer_name }}</h1>
            <span class="chip {{ o.status }}">{{ o.status | label }}</span>
          </div>
          @let now = termsOn(o, today());
          <p class="muted">
            {{ qty(now.quantity) }} {{ o.unit }} at {{ now.rate | rupees }}/{{ o.unit }}, {{ daysText(now.days) }}, from {{ o.valid_from | indianDate }}{{
              o.valid_till ? ' till ' : ''
            }}{{ o.valid_till ? (o.valid_till | indianDate) : '' }} · {{ o.deliveries ?? 0 }} delivery records ·
            <a [routerLink]="['/business/deliveries/customers', o.customer_id, month() ?? 'current']">Month grid</a>
          </p>
          @if (changeText(o); as c) {
            <p class="notice pending" role="status">{{ c }}. The customer confirms or rejects it in their app.</p>
          }
          @if (o.status === 'requested') {
            <mat-card appearance="outlined" class="box">
              <h2>The customer asks for this delivery</h2>
              <form [formGroup]="acceptForm" (ngSubmit)="accept()" class="row">
                <mat-form-field appearance="outline">
                  <mat-label>Rate (₹ per {{ o.unit }})</mat-label>
                  <input matInput formControlName="rate" inputmode="decimal" />
                  <mat-error>{{ acceptForm.controls.rate.getError('api') }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline">
                  <mat-label>Note to the customer (optional)</mat-label>
                  <input matInput formControlName="note" />
                </mat-form-field>
                <div class="actions">
                  <button mat-flat-button type="submit" [disabled]="busy()">Accept</button>
                  <button mat-stroked-button type="button" (click)="decline()" [disabled]="busy()">Decline</button>
                </div>
              </form>
            </mat-card>
          }
        }
        @if (notice(); as n) {
          <p class="notice" role="status">{{ n }}</p>
        }
        @if (actionError(); as e) {
          <p class="error-text" role="alert">{{ e }}</p>
        }

        @if (isNew() || (order() && order()!.status !== 'requested' && order()!.status !== 'declined')) {
          <mat-card appearance="outlined" class="box">
            <form [formGroup]="form" (ngSubmit)="save()" novalidate>
              @if (!isNew()) {
                <h2>Change the order</h2>
                @if (order()?.customer_has_account) {
                  <p class="muted">
                    {{ order()?.customer_name }} has an account: changes of quantity, rate, days, dates and status wait for their
                    confirmation. Item and notes change at once.
                  </p>
                }
              }
              <div class="fields">
                @if (isNew()) {
                  <mat-form-field appearance="outline" class="span2">
                    <mat-label>Customer</mat-label>
                    <input matInput formControlName="customer_id" [matAutocomplete]="auto" placeholder="Type a name or phone" />
                    <mat-autocomplete #auto="matAutocomplete" [displayWith]="customerName">
                      @for (c of customers(); track c.id) {
                        <mat-option [value]="c">{{ c.name }}{{ c.phone ? ' · ' + c.phone : '' }}</mat-option>
                      }
                    </mat-autocomplete>
                    <mat-error>{{ form.controls.customer_id.getError('api') }}</mat-error>
                  </mat-form-field>
                  @if (products().length) {
                    <mat-form-field appearance="outline">
                      <mat-label>Product (optional)</mat-label>
                      <mat-select formControlName="product_id" (selectionChange)="useProduct($event.value)">
                        <mat-option value="">None</mat-option>
                        @for (p of products(); track p.id) {
                          <mat-option [value]="p.id">{{ p.name }} · {{ p.unit_price | rupees }}/{{ p.unit }}</mat-option>
                        }
                      </mat-select>
                      <mat-error>{{ form.controls.product_id.getError('api') }}</mat-error>
                    </mat-form-field>
                  }
                }
                <mat-form-field appearance="outline">
                  <mat-label>Item</mat-label>
                  <input matInput formControlName="item" maxlength="200" placeholder="Cow milk" />
                  <mat-error>{{ form.controls.item.getError('api') }}</mat-error>
                </mat-form-field>
                @if (isNew()) {
                  <mat-form-field appearance="outline">
                    <mat-label>Unit</mat-label>
                    <input matInput formControlName="unit" placeholder="litre" />
                    <mat-error>{{ form.controls.unit.getError('api') }}</mat-error>
                  </mat-form-field>
                }
                <mat-form-field appearance="outline">
                  <mat-label>Quantity per delivery</mat-label>
                  <input matInput formControlName="quantity" inputmode="decimal" />
                  <mat-error>{{ form.controls.quantity.getError('api') }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline">
                  <mat-label>Rate (₹ per unit)</mat-label>
                  <input matInput formControlName="rate" inputmode="decimal" placeholder="60.00" />
                  <mat-error>{{ form.controls.rate.getError('api') }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline">
                  <mat-label>Valid from</mat-label>
                  <input matInput type="date" formControlName="valid_from" />
                  <mat-error>{{ form.controls.valid_from.getError('api') }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline">
                  <mat-label>Valid till (optional)</mat-label>
                  <input matInput type="date" formControlName="valid_till" />
                  <mat-error>{{ form.controls.valid_till.getError('api') }}</mat-error>
                </mat-form-field>
                @if (!isNew()) {
                  <mat-form-field appearance="outline">
                    <mat-label>New terms apply from</mat-label>
                    <input matInput type="date" formControlName="effective_from" />
                    <mat-hint>Default: today</mat-hint>
                    <mat-error>{{ form.controls.effective_from.getError('api') }}</mat-error>
                  </mat-form-field>
                }
              </div>
              <div class="days" role="group" aria-labelledby="days-label">
                <span id="days-label" class="label">Days of the week</span>
                <mat-button-toggle-group formControlName="days" multiple aria-labelledby="days-label" class="week">
                  @for (w of week; track w.day) {
                    <mat-button-toggle [value]="w.day" [aria-label]="w.name">{{ w.short }}</mat-button-toggle>
                  }
                </mat-button-toggle-group>
                <button mat-button type="button" (click)="form.controls.days.setValue(allDays)">Every day</button>
                @if (form.controls.days.getError('api'); as e) {
                  <p class="error-text">{{ e }}</p>
                }
              </div>
              <mat-form-field appearance="outline" class="wide">
                <mat-label>Notes (optional)</mat-label>
                <textarea matInput formControlName="notes" rows="2" maxlength="2000" placeholder="Leave at the door before 7 am"></textarea>
                <mat-error>{{ form.controls.notes.getError('api') }}</mat-error>
              </mat-form-field>
              @if (formError(); as m) {
                <p class="error-text" role="alert">{{ m }}</p>
              }
              <div class="actions">
                <button mat-flat-button type="submit" [disabled]="busy()">{{ isNew() ? 'Create order' : 'Save changes' }}</button>
                @if (!isNew() && order(); as o) {
                  @if (o.status === 'active') {
                    <button mat-stroked-button type="button" (click)="setStatus('inactive')" [disabled]="busy()">Stop the order</button>
                  } @else if (o.status === 'inactive') {
                    <button mat-stroked-button type="button" (click)="setStatus('active')" [disabled]="busy()">Resume the order</button>
                  }
                  @if (!o.deliveries) {
                    <button mat-button type="button" class="danger" (click)="remove()" [disabled]="busy()">Delete</button>
                  }
                }
              </div>
            </form>
          </mat-card>
        }

        @if (order(); as o) {
          <h2>Terms</h2>
          <div class="table-wrap">
            <table class="plain" aria-label="Terms of the order">
              <thead>
                <tr><th scope="col">From</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Rate</th><th scope="col">Days</th></tr>
              </thead>
              <tbody>
                @for (t of o.terms; track t.from) {
                  <tr>
                    <td>{{ t.from | indianDate }}</td>
                    <td class="num">{{ qty(t.quantity) }} {{ o.unit }}</td>
                    <td class="num">{{ t.rate | rupees }}</td>
                    <td>{{ daysText(t.days) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          <h2>History</h2>
          <ol class="history">
            @for (h of o.history; track $index) {
              <li>
                <strong>{{ h.action | label }}</strong> {{ h.detail }}
                <span class="muted">· {{ h.role | label }}, {{ h.at | indianDateTime }}</span>
              </li>
            }
          </ol>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .box { padding: 16px; margin: 12px 0; max-width: 880px; }
    .box h2, h2 { font-size: 1.1rem; font-weight: 500; margin: 8px 0; }
    .fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 0 12px; }
    .span2 { grid-column: span 2; }
    .wide { width: 100%; }
    .row { display: flex; flex-wrap: wrap; gap: 0 12px; align-items: baseline; }
    .days { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 4px 0 16px; }
    .label { width: 100%; color: var(--mat-sys-on-surface-variant); }
    .week .mat-button-toggle { min-width: 48px; }
    .week ::ng-deep .mat-button-toggle-label-content { line-height: 44px; padding: 0 8px; }
    .danger { color: var(--mat-sys-error); }
    .pending { background: #fff1c7; }
    .chip.pending, .chip.requested { background: #fff1c7; color: #6b4e00; }
    table.plain { border-collapse: collapse; min-width: 320px; }
    table.plain th, table.plain td { padding: 6px 12px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ddd); text-align: left; }
    table.plain .num { text-align: right; }
    .history li { margin-bottom: 6px; }
    @media (max-width: 600px) { .span2 { grid-column: auto; } .week .mat-button-toggle { min-width: 40px; } }
  `,
})
export class OrderPage {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly confirm = inject(Confirm);
  private readonly calendar = inject(BusinessCalendar);
  private readonly destroyRef = inject(DestroyRef);
  readonly qty = qty;
  readonly daysText = daysText;
  readonly changeText = changeText;
  readonly termsOn = termsOn;
  readonly week = WEEK;
  readonly allDays = ALL_DAYS;

  /** From the route; absent on `orders/new`. */
  readonly orderId = input<string>();
  /** `?customer_id=` preselects the customer of a new order. */
  readonly customer_id = input<string>();
  readonly isNew = computed(() => !this.orderId());

  readonly order = signal<Order | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly formError = signal<string | null>(null);
  readonly actionError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly month = signal<string | null>(null);
  readonly today = signal(new Date().toISOString().slice(0, 10));
  readonly customers = signal<Customer[]>([]);
  readonly products = signal<Product[]>([]);

  readonly form = new FormGroup({
    customer_id: new FormControl<Customer | string>('', { nonNullable: true }),
    product_id: new FormControl('', { nonNullable: true }),
    item: new FormControl('', { nonNullable: true }),
    unit: new FormControl('litre', { nonNullable: true }),
    quantity: new FormControl('1', { nonNullable: true }),
    rate: new FormControl('', { nonNullable: true }),
    days: new FormControl<DayOfWeek[]>([...ALL_DAYS], { nonNullable: true }),
    valid_from: new FormControl('', { nonNullable: true }),
    valid_till: new FormControl('', { nonNullable: true }),
    effective_from: new FormControl('', { nonNullable: true }),
    notes: new FormControl('', { nonNullable: true }),
  });
  readonly acceptForm = new FormGroup({
    rate: new FormControl('', { nonNullable: true }),
    note: new FormControl('', { nonNullable: true }),
  });
  /** The new order's `Idempotency-Key` (the page leaves once it is created). */
  private key = newKey();

  constructor() {
    const carried = (history.state as { notice?: unknown } | null)?.notice;
    if (typeof carried === 'string') this.notice.set(carried);
    void this.calendar.today().then((t) => {
      this.today.set(t);
      this.month.set(monthOf(t));
      if (this.isNew() && !this.form.controls.valid_from.value) this.form.controls.valid_from.setValue(t);
    });
    this.form.controls.customer_id.valueChanges
      .pipe(
        debounceTime(200),
        distinctUntilChanged(),
        switchMap((v) =>
          typeof v !== 'string' || v.trim().length < 1
            ? of(null)
            : from(call(this.session.api.GET('/v1/customers', { params: { query: { q: v.trim(), status: 'active', limit: 10 } } })).catch(() => null)),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((page) => {
        if (page) this.customers.set(page.items);
      });
    effect(() => {
      const id = this.orderId();
      if (id) void this.load();
      else void this.prepareNew();
    });
  }

  customerName = (c: Customer | string | null): string => (typeof c === 'string' ? c : (c?.name ?? ''));

  private async prepareNew(): Promise<void> {
    this.order.set(null);
    const cid = this.customer_id();
    const [products, customer] = await Promise.all([
      call(this.session.api.GET('/v1/products', { params: { query: { active: true, limit: 100 } } })).catch(() => null),
      cid ? call(this.session.api.GET('/v1/customers/{customer_id}', { params: { path: { customer_id: cid } } })).catch(() => null) : null,
    ]);
    this.products.set(products?.items ?? []);
    if (customer) this.form.controls.customer_id.setValue(customer);
  }

  useProduct(id: string): void {
    const p = this.products().find((x) => x.id === id);
    if (!p) return;
    this.form.patchValue({ item: p.name, unit: p.unit, rate: paiseToRupeesText(p.unit_price) });
  }

  async load(): Promise<void> {
    const id = this.orderId();
    if (!id) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      this.fill(await call(this.session.api.GET('/v1/orders/{order_id}', { params: { path: { order_id: id } } })));
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  private fill(o: Order): void {
    this.order.set(o);
    this.form.reset({
      customer_id: '',
      product_id: '',
      item: o.item,
      unit: o.unit,
      quantity: qty(o.quantity),
      rate: paiseToRupeesText(o.rate),
      days: [...o.days],
      valid_from: o.valid_from,
      valid_till: o.valid_till ?? '',
      effective_from: '',
      notes: o.notes ?? '',
    });
    this.acceptForm.reset({ rate: o.rate ? paiseToRupeesText(o.rate) : '', note: '' });
  }

  async save(): Promise<void> {
    this.formError.set(null);
    this.notice.set(null);
    const v = this.form.getRawValue();
    const rate = rateError(this.form, v.rate);
    if (rate === 'bad') return;
    const o = this.order();
    this.busy.set(true);
    try {
      if (!o) {
        const customer = typeof v.customer_id === 'string' ? null : v.customer_id;
        if (!customer && typeof v.customer_id === 'string' && v.customer_id.trim()) {
          this.form.controls.customer_id.setErrors({ api: 'Pick the customer from the list' });
          this.form.controls.customer_id.markAsTouched();
          return;
        }
        const body: NewOrder = {
          customer_id: customer?.id ?? null,
          product_id: v.product_id || null,
          item: v.item.trim() || null,
          unit: v.unit.trim() || null,
          quantity: v.quantity.trim(),
          rate,
          days: v.days,
          valid_from: v.valid_from || null,
          valid_till: v.valid_till || null,
          notes: v.notes.trim() || null,
        };
        const created = await call(
          this.session.api.POST('/v1/orders', {
            params: { header: { 'Idempotency-Key': this.key } },
            body,
          }),
        );
        const notice = created.pending_change
          ? `The order waits for ${created.customer_name}'s confirmation.`
          : `The order for ${created.customer_name} is active.`;
        await this.router.navigate(['/business/deliveries/orders', created.id], { state: { notice } });
        return;
      }
      const patch: OrderPatch = { version: o.version };
      if (v.item.trim() !== o.item) patch.item = v.item.trim();
      if (!sameQty(v.quantity, o.quantity)) patch.quantity = v.quantity.trim();
      if (rate !== null && rate !== o.rate) patch.rate = rate;
      if ([...v.days].sort().join() !== [...o.days].sort().join()) patch.days = v.days;
      if (v.valid_from && v.valid_from !== o.valid_from) patch.valid_from = v.valid_from;
      if ((v.valid_till || null) !== (o.valid_till ?? null)) patch.valid_till = v.valid_till || null;
      if ((v.notes.trim() || null) !== (o.notes ?? null)) patch.notes = v.notes.trim() || null;
      if (Object.keys(patch).length === 1) {
        this.formError.set('Nothing was changed.');
        return;
      }
      if (v.effective_from) patch.effective_from = v.effective_from;
      const after = await call(this.session.api.PATCH('/v1/orders/{order_id}', { params: { path: { order_id: o.id } }, body: patch }));
      this.fill(after);
      this.notice.set(after.pending_change ? `Saved: the change waits for ${after.customer_name}'s confirmation.` : 'Saved.');
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
      if (e instanceof ApiProblem && e.status === 409) void this.load();
    } finally {
      this.busy.set(false);
    }
  }

  async setStatus(status: 'active' | 'inactive'): Promise<void> {
    const o = this.order();
    if (!o) return;
    const stop = status === 'inactive';
    const answer = await this.confirm.ask({
      title: stop ? 'Stop this order?' : 'Resume this order?',
      message: stop ? 'It no longer appears in the morning round.' : 'It appears in the morning round again.',
      action: stop ? 'Stop' : 'Resume',
      destructive: stop,
    });
    if (!answer) return;
    await this.act(async () => {
      const after = await call(
        this.session.api.PATCH('/v1/orders/{order_id}', { params: { path: { order_id: o.id } }, body: { status, version: o.version } }),
      );
      this.fill(after);
      this.notice.set(after.pending_change ? `The change waits for ${after.customer_name}'s confirmation.` : stop ? 'The order is stopped.' : 'The order is active again.');
    });
  }

  async remove(): Promise<void> {
    const o = this.order();
    if (!o) return;
    const answer = await this.confirm.ask({
      title: 'Delete this order?',
      message: `${o.item} for ${o.customer_name} is removed. This cannot be undone.`,
      action: 'Delete',
      destructive: true,
    });
    if (!answer) return;
    await this.act(async () => {
      await call(this.session.api.DELETE('/v1/orders/{order_id}', { params: { path: { order_id: o.id } } }));
      await this.router.navigate(['/business/deliveries/orders']);
    });
  }

  async accept(): Promise<void> {
    const o = this.order();
    if (!o) return;
    const v = this.acceptForm.getRawValue();
    const rate = rateError(this.acceptForm, v.rate);
    if (rate === 'bad') return;
    await this.act(async () => {
      try {
        const after = await call(
          this.session.api.POST('/v1/orders/{order_id}/accept', { params: { path: { order_id: o.id } }, body: { rate, note: v.note.trim() || null } }),
        );
        this.fill(after);
        this.notice.set('Accepted: it appears in the round on its day.');
      } catch (e) {
        this.acceptForm.markAllAsTouched();
        throw new Error(formMessage(this.acceptForm, e));
      }
    });
  }

  async decline(): Promise<void> {
    const o = this.order();
    if (!o) return;
    const answer = await this.confirm.ask({ title: 'Decline this request?', message: 'The customer is told.', action: 'Decline', note: 'optional', destructive: true });
    if (!answer) return;
    await this.act(async () => {
      const after = await call(
        this.session.api.POST('/v1/orders/{order_id}/decline', { params: { path: { order_id: o.id } }, body: { reason: answer.note } }),
      );
      this.fill(after);
      this.notice.set('Declined.');
    });
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.notice.set(null);
    try {
      await action();
    } catch (e) {
      this.actionError.set(e instanceof ApiProblem ? describe(e) : e instanceof Error ? e.message : describe(e));
    } finally {
      this.busy.set(false);
    }
  }
}
