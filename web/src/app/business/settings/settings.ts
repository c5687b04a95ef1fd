import { Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { ApiProblem, call, describe, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { GST_RATES } from '../invoices/billing';
import { bpToPercent, percentToBp } from '../invoices/compute';
import { stateName } from '../invoices/gst-states';

type Settings = components['schemas']['Settings'];
type SettingsPatch = components['schemas']['SettingsPatch'];

/** The currencies the API keeps books in. */
const CURRENCIES = ['INR', 'USD', 'EUR', 'GBP', 'AED', 'SAR', 'SGD', 'NPR', 'BDT', 'LKR', 'JPY', 'KWD', 'BHD', 'OMR'];
/** Optional fields: an empty field clears them (`null`). */
const OPTIONAL = ['legal_name', 'address', 'gstin', 'phone', 'email', 'upi_vpa'] as const;

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return all.includes('Asia/Kolkata') ? all : ['Asia/Kolkata', ...all];
}

/**
 * The business's settings (`GET`/`PATCH /v1/business/settings`, owner
 * only): what invoices print (legal name, address, GSTIN, phone, email,
 * UPI ID), numbering, payment terms, default GST rate, currency and time
 * zone. Only changed fields are sent, with the version read.
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
    ListState,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head"><h1>Settings</h1></div>
      <app-list-state [loading]="loading()" [error]="loadError()" (retry)="load()">
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
            </div>
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
    .upper {
      text-transform: uppercase;
    }
    .actions {
      margin-bottom: 32px;
    }
  `,
})
export class SettingsPage {
  private readonly session = inject(Session);
  readonly currencies = CURRENCIES;
  readonly zones = timeZones();
  readonly percent = bpToPercent;
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
  });
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
