import { Component, DestroyRef, OnInit, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  from,
  map,
  merge,
  of,
  switchMap,
} from 'rxjs';
import type { components } from '../../api/schema';
import { call, describe, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import {
  CHECKED_FIELDS,
  checkFields,
  contactGroup,
  customerForm,
  fillForm,
  formPaths,
  newCustomerBody,
  patchBody,
  setApiError,
} from './customer-form-model';

type Customer = components['schemas']['Customer'];

/** At most this many contacts per customer (the API's limit, stated in its schema). */
const MAX_CONTACTS = 10;

/**
 * Adds a customer (`/business/customers/new`, `POST /v1/customers`) or
 * edits one (`/business/customers/:customerId/edit`, `PATCH`). The phone,
 * email, GSTIN and PAN are checked by the API as the user types (half a
 * second after the last key): its messages show under the fields. Saving
 * shows the API's field errors the same way.
 */
@Component({
  selector: 'app-customer-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ListState,
  ],
  template: `
    <div class="page narrow-page">
      <p>
        @if (customerId(); as id) {
          <a [routerLink]="['/business/customers', id]">‹ {{ original()?.name ?? 'Customer' }}</a>
        } @else {
          <a routerLink="/business/customers">‹ Customers</a>
        }
      </p>
      <div class="page-head">
        <h1>{{ customerId() ? 'Edit customer' : 'Add a customer' }}</h1>
      </div>
      <app-list-state [loading]="loading()" [error]="loadError()" (retry)="load()">
        <!-- Hidden while the customer is read: what was typed meanwhile would be overwritten. -->
        @if (!loading()) {
        <form [formGroup]="form" (ngSubmit)="save()" novalidate>
          <mat-card appearance="outlined" class="section">
            <h2>Who they are</h2>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
                <mat-label>Name</mat-label>
                <input
                  matInput
                  formControlName="name"
                  required
                  maxlength="120"
                  autocomplete="organization"
                />
                <mat-hint>A shop, a firm or a person, as you call them</mat-hint>
                <mat-error>{{
                  form.controls.name.getError('api') ?? 'A name is required.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Mobile number</mat-label>
                <input
                  matInput
                  formControlName="phone"
                  type="tel"
                  inputmode="tel"
                  autocomplete="off"
                />
                <mat-hint>10 digits, or + and the country code</mat-hint>
                <mat-error>{{ form.controls.phone.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Email</mat-label>
                <input matInput formControlName="email" type="email" autocomplete="off" />
                <mat-error>{{ form.controls.email.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Kind of business</mat-label>
                <input
                  matInput
                  formControlName="business_type"
                  maxlength="60"
                  placeholder="Retail, Wholesale, Hotel…"
                />
                <mat-error>{{ form.controls.business_type.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
          </mat-card>

          <mat-card appearance="outlined" class="section">
            <h2>Tax details</h2>
            <p class="muted">
              Optional. The GSTIN's check character is verified; the PAN is taken from it when left
              empty.
            </p>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>GSTIN</mat-label>
                <input
                  matInput
                  formControlName="gstin"
                  maxlength="15"
                  class="caps"
                  autocomplete="off"
                  spellcheck="false"
                />
                <mat-hint>15 characters, such as 27AAPFU0939F1ZV</mat-hint>
                <mat-error>{{ form.controls.gstin.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>PAN</mat-label>
                <input
                  matInput
                  formControlName="pan"
                  maxlength="10"
                  class="caps"
                  autocomplete="off"
                  spellcheck="false"
                />
                <mat-error>{{ form.controls.pan.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
            @if (checking()) {
              <mat-progress-bar mode="indeterminate" aria-label="Checking the details" />
            }
          </mat-card>

          <mat-card appearance="outlined" class="section">
            <h2>Address and notes</h2>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
                <mat-label>Address</mat-label>
                <textarea matInput formControlName="address" rows="2" maxlength="500"></textarea>
                <mat-error>{{ form.controls.address.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
                <mat-label>Notes</mat-label>
                <textarea
                  matInput
                  formControlName="notes"
                  rows="2"
                  maxlength="2000"
                  placeholder="Pays on Saturdays…"
                ></textarea>
                <mat-error>{{ form.controls.notes.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
          </mat-card>

          <mat-card appearance="outlined" class="section">
            <h2>People to talk to</h2>
            @for (c of form.controls.contacts.controls; track c; let i = $index) {
              <fieldset class="contact" [formGroup]="c">
                <legend class="sr-only">Contact {{ i + 1 }}</legend>
                <mat-form-field appearance="outline" subscriptSizing="dynamic">
                  <mat-label>Contact {{ i + 1 }} name</mat-label>
                  <input matInput formControlName="name" required maxlength="100" />
                  <mat-error>{{
                    c.controls.name.getError('api') ?? 'A name is required.'
                  }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline" subscriptSizing="dynamic">
                  <mat-label>Contact {{ i + 1 }} mobile</mat-label>
                  <input matInput formControlName="phone" type="tel" inputmode="tel" />
                  <mat-error>{{ c.controls.phone.getError('api') }}</mat-error>
                </mat-form-field>
                <mat-form-field appearance="outline" subscriptSizing="dynamic">
                  <mat-label>Contact {{ i + 1 }} role</mat-label>
                  <input
                    matInput
                    formControlName="role"
                    maxlength="60"
                    placeholder="Owner, Accounts…"
                  />
                  <mat-error>{{ c.controls.role.getError('api') }}</mat-error>
                </mat-form-field>
                <button
                  mat-button
                  type="button"
                  (click)="form.controls.contacts.removeAt(i)"
                  [attr.aria-label]="'Remove contact ' + (i + 1)"
                >
                  Remove
                </button>
              </fieldset>
            }
            @if (form.controls.contacts.length < maxContacts) {
              <button mat-stroked-button type="button" (click)="addContact()">Add a contact</button>
            }
          </mat-card>

          @if (message(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <div class="actions buttons">
            <button mat-flat-button type="submit" [disabled]="saving()">
              {{ customerId() ? 'Save changes' : 'Add customer' }}
            </button>
            <a
              mat-button
              [routerLink]="
                customerId() ? ['/business/customers', customerId()] : ['/business/customers']
              "
              >Cancel</a
            >
          </div>
        </form>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .narrow-page {
      max-width: 880px;
    }
    .section {
      padding: 16px;
      margin-bottom: 12px;
    }
    h2 {
      font-size: 1.05rem;
      font-weight: 500;
      margin: 0 0 8px;
    }
    .section p.muted {
      margin: 0 0 12px;
      font-size: 0.9rem;
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 260px), 1fr));
      gap: 12px;
    }
    .wide {
      grid-column: 1 / -1;
    }
    .caps {
      text-transform: uppercase;
    }
    .contact {
      border: 0;
      padding: 0;
      margin: 0 0 12px;
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr));
      gap: 8px 12px;
      align-items: start;
    }
    .contact button {
      margin-top: 10px;
      justify-self: start;
    }
    .buttons {
      margin: 8px 0 24px;
    }
  `,
})
export class CustomerFormPage implements OnInit {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** Set when editing (`:customerId/edit`). */
  readonly customerId = input<string>();
  readonly maxContacts = MAX_CONTACTS;

  readonly form = customerForm();
  readonly original = signal<Customer | null>(null);
  readonly loading = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly checking = signal(false);
  readonly message = signal<string | null>(null);

  ngOnInit(): void {
    if (this.customerId()) void this.load();
    this.checkAsTyped();
  }

  addContact(): void {
    this.form.controls.contacts.push(contactGroup());
  }

  async load(): Promise<void> {
    const id = this.customerId();
    if (!id) return;
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const c = await call(
        this.session.api.GET('/v1/customers/{customer_id}', {
          params: { path: { customer_id: id } },
        }),
      );
      this.original.set(c);
      fillForm(this.form, c);
    } catch (e) {
      this.loadError.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async save(): Promise<void> {
    this.message.set(null);
    this.form.markAllAsTouched();
    if (this.form.controls.name.hasError('required') || this.form.controls.contacts.invalid) {
      this.message.set('Please correct the fields marked in red.');
      return;
    }
    const v = this.form.getRawValue();
    const id = this.customerId();
    this.saving.set(true);
    try {
      let saved: Customer;
      if (id) {
        const version = this.original()?.version ?? 0;
        saved = await call(
          this.session.api.PATCH('/v1/customers/{customer_id}', {
            params: { path: { customer_id: id } },
            body: patchBody(v, version),
          }),
        );
      } else {
        saved = await call(
          this.session.api.POST('/v1/customers', {
            body: newCustomerBody(v),
            params: { header: { 'Idempotency-Key': this.idempotencyKey } },
          }),
        );
      }
      await this.router.navigate(['/business/customers', saved.id], {
        state: { notice: id ? `${saved.name} was saved.` : `${saved.name} was added.` },
      });
    } catch (e) {
      this.message.set(formMessage(this.form, formPaths(e)));
    } finally {
      this.saving.set(false);
    }
  }

  /** One key for this form's create: a retried submit (flaky network) does not add the customer twice. */
  private readonly idempotencyKey =
    globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;

  /** Half a second after the phone, email, GSTIN or PAN last changed, asks the API what it thinks of them. */
  private checkAsTyped(): void {
    const controls = CHECKED_FIELDS.map((f) => this.form.controls[f]);
    merge(...controls.map((c) => c.valueChanges))
      .pipe(
        debounceTime(500),
        map(() => {
          const v = this.form.getRawValue();
          return { phone: v.phone, email: v.email, gstin: v.gstin, pan: v.pan };
        }),
        distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
        switchMap((v) => {
          this.checking.set(true);
          return from(checkFields(this.session, v)).pipe(catchError(() => of(null)));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((result) => {
        this.checking.set(false);
        if (!result) return; // offline or a server error: the save will say
        for (const f of CHECKED_FIELDS) setApiError(this.form.controls[f], result[f]);
      });
  }
}
