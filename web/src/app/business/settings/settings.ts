import { Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, call, describe, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { GST_RATES } from '../invoices/billing';
import { bpToPercent, percentToBp } from '../invoices/compute';
import { stateName } from '../invoices/gst-states';
import { ReminderPolicy, parseStages, reminderDays, scheduleWords, stagesText } from '../notifications/words';
import { NEGATIVE_STOCK_POLICIES } from '../stock/quantity';

type Settings = components['schemas']['Settings'];
type SettingsPatch = components['schemas']['SettingsPatch'];
type NegativeStock = components['schemas']['NegativeStock'];

/** The reminder policy of a business that never saved one (the API's defaults). */
const DEFAULT_POLICY: Required<ReminderPolicy> = {
  enabled: false,
  stages: [-3, 0, 3, 7, 15],
  repeat_every_days: 15,
  repeat_until_days: 90,
  channels: 'sms',
  quiet_start: '21:00',
  quiet_end: '09:00',
  language: 'en',
  digest_sms: false,
};

/** The currencies the API keeps books in. */
const CURRENCIES = ['INR', 'USD', 'EUR', 'GBP', 'AED', 'SAR', 'SGD', 'NPR', 'BDT', 'LKR', 'JPY', 'KWD', 'BHD', 'OMR'];
/** Optional fields: an empty field clears them (`null`). */
const OPTIONAL = ['legal_name', 'address', 'gstin', 'phone', 'email', 'upi_vpa'] as const;

/** The stored policy with the API's defaults filled in, fields in one order (compared as JSON). */
function policyOf(s: Settings): Required<ReminderPolicy> {
  const r = { ...DEFAULT_POLICY, ...(s.reminders ?? {}) };
  return {
    enabled: r.enabled,
    stages: r.stages,
    repeat_every_days: r.repeat_every_days,
    repeat_until_days: r.repeat_until_days,
    channels: r.channels,
    quiet_start: r.quiet_start,
    quiet_end: r.quiet_end,
    language: r.language,
    digest_sms: r.digest_sms,
  };
}

/** Stages must at least be numbers to be sent (the API checks order and range). */
function stagesValidator(control: AbstractControl<string>): ValidationErrors | null {
  const stages = parseStages(control.value ?? '');
  return stages === null ? { stages: true } : null;
}

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return all.includes('Asia/Kolkata') ? all : ['Asia/Kolkata', ...all];
}

/**
 * The business's settings (`GET`/`PATCH /v1/business/settings`, owner
 * only): what invoices print (legal name, address, GSTIN, phone, email,
 * UPI ID), numbering, payment terms, default GST rate, currency and time
 * zone, and payment reminders (when, how, quiet hours, the language of the
 * default templates; the templates themselves on their own page). Only
 * changed fields are sent, with the version read.
 */
@Component({
  selector: 'app-settings',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    RouterLink,
    ListState,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head"><h1>Settings</h1></div>
      <app-list-state [loading]="loading()" [error]="loadError()" (retry)="load()">
        <!-- Shown once loaded: changes made before would be overwritten by the settings read. -->
        @if (settings()) {
        <form [formGroup]="form" (ngSubmit)="save()" novalidate>
          <mat-card appearance="outlined">
            <h2>On your invoices</h2>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Legal name</mat-label>
                <input matInput formControlName="legal_name" maxlength="200" />
                <mat-hint>The business name when empty</mat-hint>
                <mat-error>{{ form.controls.legal_name.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>GSTIN</mat-label>
                <input matInput formControlName="gstin" maxlength="15" class="upper" />
                <mat-hint>{{ gstHint() }}</mat-hint>
                <mat-error>{{ form.controls.gstin.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
                <mat-label>Address</mat-label>
                <textarea matInput formControlName="address" rows="2" maxlength="500"></textarea>
                <mat-error>{{ form.controls.address.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Phone</mat-label>
                <input matInput formControlName="phone" type="tel" />
                <mat-error>{{ form.controls.phone.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Email</mat-label>
                <input matInput formControlName="email" type="email" />
                <mat-error>{{ form.controls.email.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>UPI ID</mat-label>
                <input matInput formControlName="upi_vpa" placeholder="name@bank" />
                <mat-hint>Invoice PDFs carry a UPI QR code for it</mat-hint>
                <mat-error>{{ form.controls.upi_vpa.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
          </mat-card>

          <mat-card appearance="outlined">
            <h2>Billing</h2>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Invoice number prefix</mat-label>
                <input matInput formControlName="invoice_prefix" maxlength="10" />
                <mat-hint>Next invoice: {{ nextNumber() }}</mat-hint>
                <mat-error>{{ form.controls.invoice_prefix.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Next invoice number</mat-label>
                <input matInput formControlName="next_invoice_number" type="number" min="1" required />
                <mat-hint>Numbers already used are skipped</mat-hint>
                <mat-error>{{
                  form.controls.next_invoice_number.getError('api') ?? 'A number is required.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Payment terms (days)</mat-label>
                <input matInput formControlName="payment_terms_days" type="number" min="0" required />
                <mat-hint>Due date = invoice date + these days</mat-hint>
                <mat-error>{{
                  form.controls.payment_terms_days.getError('api') ?? 'A number of days is required.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Default GST rate</mat-label>
                <mat-select formControlName="default_tax_rate_bp">
                  @for (r of rates(); track r) {
                    <mat-option [value]="percent(r)">{{ percent(r) }} %</mat-option>
                  }
                </mat-select>
                <mat-hint>For new products and free lines</mat-hint>
                <mat-error>{{ form.controls.default_tax_rate_bp.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Currency</mat-label>
                <mat-select formControlName="currency">
                  @for (c of currencies; track c) {
                    <mat-option [value]="c">{{ c }}</mat-option>
                  }
                </mat-select>
                <mat-error>{{ form.controls.currency.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Time zone</mat-label>
                <mat-select formControlName="time_zone">
                  @for (z of zones; track z) {
                    <mat-option [value]="z">{{ z }}</mat-option>
                  }
                </mat-select>
                <mat-hint>Decides "today" for dates and overdue</mat-hint>
                <mat-error>{{ form.controls.time_zone.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="span2">
                <mat-label>Negative stock</mat-label>
                <mat-select formControlName="negative_stock">
                  @for (n of negativeStock; track n.value) {
                    <mat-option [value]="n.value">{{ n.text }}</mat-option>
                  }
                </mat-select>
                <mat-hint>{{ negativeStockHelp() }}</mat-hint>
                <mat-error>{{ form.controls.negative_stock.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
          </mat-card>

          <mat-card appearance="outlined" formGroupName="reminders">
            <div class="card-head">
              <h2 id="reminders-title">Payment reminders</h2>
              <mat-slide-toggle formControlName="enabled" aria-describedby="reminders-state">
                Send reminders
              </mat-slide-toggle>
            </div>
            <p class="muted" id="reminders-state">
              @if (remindersOn()) {
                Customers who owe you get a reminder by {{ channelWords() }} with the amount due and a link to the
                invoice.
              } @else {
                Off: no payment reminders are sent. Invoices you send yourself still go.
              }
            </p>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="span2">
                <mat-label>Days from the due date</mat-label>
                <input matInput formControlName="stages" inputmode="text" aria-describedby="schedule-words" />
                <mat-hint>Minus for days before: -3, 0, 3, 7, 15</mat-hint>
                <mat-error>{{
                  reminders.controls.stages.getError('api') ?? 'Whole numbers separated by commas, such as -3, 0, 7.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Then repeat every (days)</mat-label>
                <input matInput formControlName="repeat_every_days" type="number" min="0" required />
                <mat-hint>0 for no repeats</mat-hint>
                <mat-error>{{
                  reminders.controls.repeat_every_days.getError('api') ?? 'A number of days is required.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Repeat until day</mat-label>
                <input matInput formControlName="repeat_until_days" type="number" min="0" required />
                <mat-hint>Days after the due date</mat-hint>
                <mat-error>{{
                  reminders.controls.repeat_until_days.getError('api') ?? 'A number of days is required.'
                }}</mat-error>
              </mat-form-field>
            </div>
            <p class="schedule" id="schedule-words" data-testid="schedule">
              <strong>Schedule:</strong> {{ schedule().words }}
              @if (schedule().count) {
                <span class="muted">
                  · at most {{ schedule().count }} reminder{{ schedule().count === 1 ? '' : 's' }} an invoice</span
                >
              }
            </p>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Send by</mat-label>
                <mat-select formControlName="channels">
                  <mat-option value="sms">SMS</mat-option>
                  <mat-option value="mail">Mail</mat-option>
                  <mat-option value="both">SMS and mail</mat-option>
                </mat-select>
                <mat-hint>To the customer's phone or mail address</mat-hint>
                <mat-error>{{ reminders.controls.channels.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Quiet from</mat-label>
                <input matInput formControlName="quiet_start" type="time" required />
                <mat-hint>No reminders at night</mat-hint>
                <mat-error>{{ reminders.controls.quiet_start.getError('api') ?? 'A time is required.' }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Quiet until</mat-label>
                <input matInput formControlName="quiet_end" type="time" required />
                <mat-hint>{{ quietHint() }}</mat-hint>
                <mat-error>{{ reminders.controls.quiet_end.getError('api') ?? 'A time is required.' }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Language of the messages</mat-label>
                <mat-select formControlName="language">
                  <mat-option value="en">English</mat-option>
                  <mat-option value="hi"><span lang="hi">हिन्दी</span> (Hindi)</mat-option>
                </mat-select>
                <mat-hint>Of the standard texts; Hindi SMS cost more segments</mat-hint>
                <mat-error>{{ reminders.controls.language.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
            <mat-slide-toggle formControlName="digest_sms" class="digest">
              Also text me the daily summary by SMS
            </mat-slide-toggle>
            <p class="muted small">The daily summary is mailed to you when your profile has a mail address.</p>
            <p>
              <a routerLink="/business/settings/templates">Message templates ›</a>
              the texts of reminders, invoices sent and the daily summary.
            </p>
          </mat-card>

          @if (message(); as m) {
            <p [class.error-text]="failed()" [class.notice]="!failed()" [attr.role]="failed() ? 'alert' : 'status'">
              {{ m }}
            </p>
          }
          <div class="actions">
            <button mat-flat-button type="submit" [disabled]="saving() || form.pristine">Save settings</button>
            <button mat-button type="button" (click)="reset()" [disabled]="saving() || form.pristine">
              Discard changes
            </button>
          </div>
        </form>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    mat-card {
      padding: 12px 16px;
      margin-bottom: 16px;
    }
    h2 {
      font-size: 1.1rem;
      font-weight: 500;
      margin: 0 0 12px;
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
      gap: 16px;
      padding-bottom: 12px;
    }
    .wide {
      grid-column: 1 / -1;
    }
    @media (min-width: 1000px) {
      .span2 {
        grid-column: span 2;
      }
    }
    .upper {
      text-transform: uppercase;
    }
    .actions {
      margin-bottom: 32px;
    }
    .card-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .card-head h2 {
      margin: 0;
    }
    .schedule {
      margin: 0 0 16px;
      line-height: 1.5;
    }
    .digest {
      display: block;
      margin-top: 4px;
    }
    .small {
      font-size: 0.85rem;
      margin: 4px 0 12px;
    }
  `,
})
export class SettingsPage {
  private readonly session = inject(Session);
  readonly currencies = CURRENCIES;
  readonly zones = timeZones();
  readonly percent = bpToPercent;
  readonly negativeStock = NEGATIVE_STOCK_POLICIES;
  readonly loading = signal(true);
  readonly loadError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly message = signal<string | null>(null);
  readonly failed = signal(false);
  readonly settings = signal<Settings | null>(null);

  readonly form = new FormGroup({
    legal_name: new FormControl('', { nonNullable: true }),
    gstin: new FormControl('', { nonNullable: true }),
    address: new FormControl('', { nonNullable: true }),
    phone: new FormControl('', { nonNullable: true }),
    email: new FormControl('', { nonNullable: true }),
    upi_vpa: new FormControl('', { nonNullable: true }),
    invoice_prefix: new FormControl('', { nonNullable: true }),
    next_invoice_number: new FormControl<number | null>(1, { validators: [Validators.required] }),
    payment_terms_days: new FormControl<number | null>(15, { validators: [Validators.required] }),
    default_tax_rate_bp: new FormControl('0', { nonNullable: true }),
    currency: new FormControl('INR', { nonNullable: true }),
    time_zone: new FormControl('Asia/Kolkata', { nonNullable: true }),
    negative_stock: new FormControl<NegativeStock>('warn', { nonNullable: true }),
    reminders: new FormGroup({
      enabled: new FormControl(false, { nonNullable: true }),
      stages: new FormControl('', { nonNullable: true, validators: [stagesValidator] }),
      repeat_every_days: new FormControl<number | null>(15, { validators: [Validators.required] }),
      repeat_until_days: new FormControl<number | null>(90, { validators: [Validators.required] }),
      channels: new FormControl<NonNullable<ReminderPolicy['channels']>>('sms', { nonNullable: true }),
      quiet_start: new FormControl('21:00', { nonNullable: true, validators: [Validators.required] }),
      quiet_end: new FormControl('09:00', { nonNullable: true, validators: [Validators.required] }),
      language: new FormControl<NonNullable<ReminderPolicy['language']>>('en', { nonNullable: true }),
      digest_sms: new FormControl(false, { nonNullable: true }),
    }),
  });
  readonly reminders = this.form.controls.reminders;
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });

  readonly nextNumber = computed(() => {
    const v = this.value();
    const n = Math.max(1, Math.trunc(Number(v.next_invoice_number) || 1));
    return `${v.invoice_prefix ?? ''}${n.toString().padStart(4, '0')}`;
  });
  readonly gstHint = computed(() => {
    const g = (this.value().gstin ?? '').trim().toUpperCase();
    if (/^\d{2}/.test(g) && g.length === 15) {
      return `State ${stateName(g.slice(0, 2))}: IGST for buyers elsewhere`;
    }
    return 'Its state decides CGST + SGST or IGST';
  });
  /** What the chosen negative-stock policy does, for sales beyond what is on hand. */
  readonly negativeStockHelp = computed(
    () => NEGATIVE_STOCK_POLICIES.find((n) => n.value === this.value().negative_stock)?.help ?? '',
  );
  readonly remindersOn = computed(() => !!this.value().reminders?.enabled);
  readonly channelWords = computed(
    () => ({ sms: 'SMS', mail: 'mail', both: 'SMS and mail' })[this.value().reminders?.channels ?? 'sms'],
  );
  /** The schedule as typed, in words, and how many reminders an invoice can get. */
  readonly schedule = computed(() => {
    const r = this.value().reminders;
    const stages = parseStages(r?.stages ?? '');
    if (stages === null) return { words: 'write the days as whole numbers, such as -3, 0, 7', count: 0 };
    const every = Math.trunc(Number(r?.repeat_every_days) || 0);
    const until = Math.trunc(Number(r?.repeat_until_days) || 0);
    const count = stages.length ? reminderDays(stages, every, until).length : 0;
    return { words: scheduleWords(stages, every, until), count };
  });
  readonly quietHint = computed(() => {
    const r = this.value().reminders;
    return r?.quiet_start && r.quiet_start === r.quiet_end
      ? 'Same times: no quiet hours (reminders at midnight)'
      : `Reminders go out at ${r?.quiet_end || '—'}`;
  });
  readonly rates = computed(() => {
    const own = this.settings()?.default_tax_rate_bp ?? 0;
    return GST_RATES.includes(own) ? GST_RATES : [...GST_RATES, own].sort((a, b) => a - b);
  });

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.settings.set(await call(this.session.api.GET('/v1/business/settings')));
      this.reset();
    } catch (e) {
      this.loadError.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  reset(): void {
    const s = this.settings();
    if (!s) return;
    this.form.reset({
      legal_name: s.legal_name ?? '',
      gstin: s.gstin ?? '',
      address: s.address ?? '',
      phone: s.phone ?? '',
      email: s.email ?? '',
      upi_vpa: s.upi_vpa ?? '',
      invoice_prefix: s.invoice_prefix ?? '',
      next_invoice_number: s.next_invoice_number ?? 1,
      payment_terms_days: s.payment_terms_days ?? 15,
      default_tax_rate_bp: bpToPercent(s.default_tax_rate_bp ?? 0),
      currency: s.currency ?? 'INR',
      time_zone: s.time_zone ?? 'Asia/Kolkata',
      negative_stock: s.negative_stock ?? 'warn',
      reminders: { ...policyOf(s), stages: stagesText(policyOf(s).stages) },
    });
    this.message.set(null);
  }

  /** The fields changed since loading, as the API takes them. */
  private patch(s: Settings): SettingsPatch {
    const v = this.form.getRawValue();
    const p: SettingsPatch = { version: s.version ?? 0 };
    for (const key of OPTIONAL) {
      const now = key === 'gstin' ? v[key].trim().toUpperCase() : v[key].trim();
      if (now !== (s[key] ?? '')) p[key] = now || null;
    }
    if (v.invoice_prefix.trim() !== (s.invoice_prefix ?? '')) p.invoice_prefix = v.invoice_prefix.trim();
    if (v.next_invoice_number !== s.next_invoice_number) p.next_invoice_number = v.next_invoice_number;
    if (v.payment_terms_days !== s.payment_terms_days) p.payment_terms_days = v.payment_terms_days;
    const rate = percentToBp(v.default_tax_rate_bp);
    if (rate !== (s.default_tax_rate_bp ?? 0)) p.default_tax_rate_bp = rate;
    if (v.currency !== s.currency) p.currency = v.currency;
    if (v.time_zone !== s.time_zone) p.time_zone = v.time_zone;
    if (v.negative_stock !== (s.negative_stock ?? 'warn')) p.negative_stock = v.negative_stock;
    const r = v.reminders;
    const policy: Required<ReminderPolicy> = {
      enabled: r.enabled,
      stages: parseStages(r.stages) ?? [],
      repeat_every_days: Math.trunc(Number(r.repeat_every_days)),
      repeat_until_days: Math.trunc(Number(r.repeat_until_days)),
      channels: r.channels,
      quiet_start: r.quiet_start,
      quiet_end: r.quiet_end,
      language: r.language,
      digest_sms: r.digest_sms,
    };
    if (JSON.stringify(policy) !== JSON.stringify(policyOf(s))) p.reminders = policy;
    return p;
  }

  async save(): Promise<void> {
    const s = this.settings();
    this.form.markAllAsTouched();
    if (!s || this.form.invalid) return;
    this.saving.set(true);
    this.message.set(null);
    try {
      this.settings.set(await call(this.session.api.PATCH('/v1/business/settings', { body: this.patch(s) })));
      this.reset();
      this.failed.set(false);
      this.message.set('Settings saved.');
    } catch (e) {
      this.failed.set(true);
      if (e instanceof ApiProblem && e.status === 409) {
        // Changed meanwhile (an issued invoice takes a number): compare with the new version next time.
        this.message.set(
          'The settings were changed meanwhile, for example by an invoice taking a number. Check the fields and save again.',
        );
        await call(this.session.api.GET('/v1/business/settings'))
          .then((fresh) => this.settings.set(fresh))
          .catch(() => undefined);
      } else {
        this.message.set(formMessage(this.form, e));
      }
    } finally {
      this.saving.set(false);
    }
  }
}
