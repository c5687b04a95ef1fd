import { Component, OnInit, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../../api/schema';
import { ApiProblem, call, formMessage } from '../../core/problem';
import { Session } from '../../core/session';

type AccountType = components['schemas']['AccountType'];

/**
 * `/sign-up`: a business account (the owner's name, phone and the
 * business's name) or a customer account (name and phone), with an
 * optional email (for password resets) and password
 * (`POST /v1/auth/register`); then the code texted to the phone
 * (`POST /v1/auth/otp/verify`) signs the new user in, and home.
 * `?as=customer` opens the customer form.
 */
@Component({
  selector: 'app-sign-up',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <main class="sign-up">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h1>Create your Hisaab account</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (!codeSent()) {
            <p class="muted">
              Keep your customers' accounts, bill them, and see who owes what — or, as a customer,
              see what your vendors have on record for you.
            </p>
            <mat-button-toggle-group
              [value]="kind()"
              (change)="choose($event.value)"
              aria-label="Kind of account"
              class="kind"
            >
              <mat-button-toggle value="business">I run a business</mat-button-toggle>
              <mat-button-toggle value="customer">I am a customer</mat-button-toggle>
            </mat-button-toggle-group>

            <form [formGroup]="form" (ngSubmit)="register()" novalidate>
              @if (kind() === 'business') {
                <mat-form-field appearance="outline" subscriptSizing="dynamic">
                  <mat-label>Business name</mat-label>
                  <input
                    matInput
                    formControlName="business_name"
                    autocomplete="organization"
                    maxlength="120"
                  />
                  <mat-hint>As it should appear on your invoices</mat-hint>
                  <mat-error>{{
                    form.controls.business_name.getError('api') ?? 'Your business needs a name.'
                  }}</mat-error>
                </mat-form-field>
              }
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Your name</mat-label>
                <input matInput formControlName="name" autocomplete="name" maxlength="100" />
                <mat-error>{{
                  form.controls.name.getError('api') ?? 'Enter your name.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Mobile number</mat-label>
                <input
                  matInput
                  formControlName="phone"
                  type="tel"
                  inputmode="tel"
                  autocomplete="tel"
                  placeholder="98765 43210"
                />
                <mat-hint>We text a code to it</mat-hint>
                <mat-error>{{
                  form.controls.phone.getError('api') ?? 'Enter your mobile number.'
                }}</mat-error>
              </mat-form-field>
              @if (phoneTaken()) {
                <p class="notice" role="status">
                  This number already has an account. <a routerLink="/sign-in">Sign in instead</a>.
                </p>
              }
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Email (optional)</mat-label>
                <input matInput formControlName="email" type="email" autocomplete="email" />
                <mat-hint>Needed to reset a forgotten password</mat-hint>
                <mat-error>{{ form.controls.email.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Password (optional)</mat-label>
                <input
                  matInput
                  formControlName="password"
                  type="password"
                  autocomplete="new-password"
                />
                <mat-hint>To sign in without a code; can be set later</mat-hint>
                <mat-error>{{ form.controls.password.getError('api') }}</mat-error>
              </mat-form-field>
              @if (message(); as m) {
                <p class="error-text" role="alert">{{ m }}</p>
              }
              <button mat-flat-button type="submit" [disabled]="busy()">Create account</button>
            </form>
          } @else {
            <form [formGroup]="codeForm" (ngSubmit)="verify()" novalidate>
              <p role="status">
                We sent a 6-digit code to <strong>{{ sentTo() }}</strong>. Enter it to finish.
              </p>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Code</mat-label>
                <input
                  matInput
                  formControlName="code"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxlength="6"
                />
                <mat-error>{{
                  codeForm.controls.code.getError('api') ?? 'Enter the 6 digits of the code.'
                }}</mat-error>
              </mat-form-field>
              @if (message(); as m) {
                <p class="error-text" role="alert">{{ m }}</p>
              }
              @if (resent()) {
                <p class="muted" role="status">A new code is on its way.</p>
              }
              <div class="buttons">
                <button mat-flat-button type="submit" [disabled]="busy()">
                  Verify and continue
                </button>
                <button mat-button type="button" (click)="resend()" [disabled]="busy()">
                  Send the code again
                </button>
              </div>
            </form>
          }
          <p class="switch">Already have an account? <a routerLink="/sign-in">Sign in</a></p>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .sign-up {
      min-height: 100vh;
      display: grid;
      place-items: center;
      padding: 16px;
      box-sizing: border-box;
    }
    mat-card {
      width: 100%;
      max-width: 460px;
    }
    h1 {
      font-size: 1.4rem;
      font-weight: 500;
      margin: 8px 0 8px;
    }
    .kind {
      width: 100%;
      margin-top: 8px;
    }
    .kind mat-button-toggle {
      flex: 1;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 12px;
      margin-top: 16px;
    }
    .buttons {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
    }
    .switch {
      margin: 16px 0 0;
    }
  `,
})
export class SignUp implements OnInit {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** `?as=customer` starts with the customer account. */
  readonly as = input<string>();

  readonly kind = signal<AccountType>('business');
  readonly codeSent = signal(false);
  readonly sentTo = signal('');
  readonly busy = signal(false);
  readonly resent = signal(false);
  readonly phoneTaken = signal(false);
  readonly message = signal<string | null>(null);

  // Only "required" is checked here; the API checks the formats and says what is wrong.
  readonly form = new FormGroup({
    business_name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    phone: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    email: new FormControl('', { nonNullable: true }),
    password: new FormControl('', { nonNullable: true }),
  });
  readonly codeForm = new FormGroup({
    code: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^\d{6}$/)],
    }),
  });
  /** The phone as the API stored it (E.164), for the code. */
  private phone = '';

  ngOnInit(): void {
    if (this.as() === 'customer') this.choose('customer');
  }

  choose(kind: AccountType): void {
    this.kind.set(kind);
    const business = this.form.controls.business_name;
    if (kind === 'business') business.enable();
    else business.disable();
    this.message.set(null);
  }

  async register(): Promise<void> {
    this.message.set(null);
    this.phoneTaken.set(false);
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    this.busy.set(true);
    try {
      const answer = await call(
        this.session.api.POST('/v1/auth/register', {
          body: {
            account_type: this.kind(),
            name: v.name.trim(),
            phone: v.phone.trim(),
            business_name: this.kind() === 'business' ? v.business_name.trim() : null,
            email: v.email.trim() || null,
            password: v.password || null,
          },
        }),
      );
      this.phone = answer.user.phone;
      this.sentTo.set(answer.user.phone.replace(/^\+91(\d{5})(\d{5})$/, '+91 $1 $2'));
      this.codeSent.set(true);
    } catch (e) {
      this.phoneTaken.set(
        e instanceof ApiProblem &&
          e.status === 409 &&
          !!e.problem?.errors?.some((f) => f.field === 'phone'),
      );
      this.message.set(formMessage(this.form, e));
    } finally {
      this.busy.set(false);
    }
  }

  async verify(): Promise<void> {
    this.message.set(null);
    this.codeForm.markAllAsTouched();
    if (this.codeForm.invalid) return;
    this.busy.set(true);
    try {
      await this.session.verifyOtp(this.phone, this.codeForm.getRawValue().code);
      // `/` sends owners to /business and customers to /customer.
      await this.router.navigateByUrl('/');
    } catch (e) {
      this.message.set(
        e instanceof ApiProblem && e.status === 401
          ? codeProblem(e)
          : formMessage(this.codeForm, e),
      );
    } finally {
      this.busy.set(false);
    }
  }

  async resend(): Promise<void> {
    this.message.set(null);
    this.resent.set(false);
    this.busy.set(true);
    try {
      await this.session.sendOtp(this.phone);
      this.resent.set(true);
    } catch (e) {
      this.message.set(formMessage(this.codeForm, e));
    } finally {
      this.busy.set(false);
    }
  }
}

/** A refused code, in the API's words ("wrong code, 2 attempts left"). */
function codeProblem(e: ApiProblem): string {
  const detail = e.problem?.detail;
  return detail
    ? `That code did not work: ${detail}.`
    : 'That code is wrong or has expired. Check it, or send a new one.';
}
