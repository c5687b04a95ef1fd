import { Component, OnInit, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { call, formMessage } from '../core/problem';
import { Session } from '../core/session';

/** How the user proves who they are. */
type Method = 'otp' | 'password';

/**
 * Sign in with the phone and a code sent by SMS, or with a password
 * (platform admins then also enter a code). Afterwards the user goes back
 * to the page that sent them here (`?return=`), or home.
 */
@Component({
  selector: 'app-sign-in',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  templateUrl: './sign-in.html',
  styleUrl: './sign-in.css',
})
export class SignIn implements OnInit {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** The page to return to (`?return=`). */
  readonly return = input<string>();
  /** Set when an expired session sent the user here (`?expired=1`). */
  readonly expired = input<string>();
  /** Set after a password reset (`?reset=1`). */
  readonly reset = input<string>();
  /** Opens the forgotten-password form (`?forgot=1`, from a reset link that no longer works). */
  readonly forgot = input<string>();

  readonly method = signal<Method>('otp');
  /** The code was sent: show the code field. */
  readonly codeSent = signal(false);
  readonly busy = signal(false);
  readonly message = signal<string | null>(null);

  readonly form = new FormGroup({
    phone: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^(\+\d{8,15}|\d{10})$/)],
    }),
    password: new FormControl('', { nonNullable: true }),
    code: new FormControl('', { nonNullable: true, validators: [Validators.pattern(/^\d{6}$/)] }),
  });

  /** The forgotten-password form (`POST /v1/auth/password/forgot`). */
  readonly forgotOpen = signal(false);
  readonly forgotSent = signal(false);
  readonly forgotMessage = signal<string | null>(null);
  readonly forgotForm = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });

  ngOnInit(): void {
    if (this.forgot()) this.openForgot();
  }

  openForgot(): void {
    this.forgotOpen.set(true);
    this.forgotSent.set(false);
    this.forgotMessage.set(null);
  }

  async sendResetLink(): Promise<void> {
    this.forgotMessage.set(null);
    this.forgotSent.set(false);
    this.forgotForm.markAllAsTouched();
    if (this.forgotForm.invalid) return;
    this.busy.set(true);
    try {
      const email = this.forgotForm.getRawValue().email.trim();
      await call(this.session.api.POST('/v1/auth/password/forgot', { body: { email } }));
      this.forgotSent.set(true);
      this.forgotMessage.set(`If an account has ${email}, a reset link is on its way. Check your mail (and the spam folder).`);
    } catch (e) {
      this.forgotMessage.set(formMessage(this.forgotForm, e));
    } finally {
      this.busy.set(false);
    }
  }

  choose(method: Method): void {
    this.method.set(method);
    this.codeSent.set(false);
    this.message.set(null);
  }

  async submit(): Promise<void> {
    const { phone, password, code } = this.form.getRawValue();
    this.message.set(null);
    if (this.form.controls.phone.invalid) {
      this.form.controls.phone.markAsTouched();
      return;
    }
    this.busy.set(true);
    try {
      if (this.codeSent()) {
        if (!/^\d{6}$/.test(code)) {
          this.form.controls.code.setErrors({ required: true });
          this.form.controls.code.markAsTouched();
          return;
        }
        await this.session.verifyOtp(phone, code);
        await this.done();
      } else if (this.method() === 'otp') {
        await this.session.sendOtp(phone);
        this.codeSent.set(true);
      } else {
        if (!password) {
          this.form.controls.password.setErrors({ required: true });
          this.form.controls.password.markAsTouched();
          return;
        }
        const answer = await this.session.login(phone, password);
        if (answer === 'otp') this.codeSent.set(true);
        else await this.done();
      }
    } catch (e) {
      this.message.set(formMessage(this.form, e));
    } finally {
      this.busy.set(false);
    }
  }

  private async done(): Promise<void> {
    const back = this.return();
    await this.router.navigateByUrl(back && back.startsWith('/') && !back.startsWith('//') ? back : '/');
  }
}
