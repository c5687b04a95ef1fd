import { Component, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ApiProblem, call, formMessage } from '../../core/problem';
import { Session } from '../../core/session';

/**
 * `/reset-password?token=…`, the page behind the mailed link: the new
 * password twice, `POST /v1/auth/password/reset`, then sign-in with a
 * notice. An invalid, used or expired link says so, with the way to ask
 * for a new one.
 */
@Component({
  selector: 'app-reset-password',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <main class="reset">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h1>Choose a new password</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (!token() || badLink()) {
            <div class="bad" role="alert">
              <p><strong>This reset link does not work.</strong></p>
              <p>
                {{
                  token()
                    ? 'It was already used or has expired (links are valid for 30 minutes).'
                    : 'The link is incomplete: open it from the mail again, whole.'
                }}
              </p>
            </div>
            <p>
              <a mat-flat-button routerLink="/sign-in" [queryParams]="{ forgot: 1 }"
                >Ask for a new link</a
              >
            </p>
          } @else {
            <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>New password</mat-label>
                <input
                  matInput
                  formControlName="password"
                  type="password"
                  autocomplete="new-password"
                />
                <mat-hint>At least 8 characters; a few words are easy to remember</mat-hint>
                <mat-error>{{
                  form.controls.password.getError('api') ?? 'Enter a new password.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>New password again</mat-label>
                <input
                  matInput
                  formControlName="again"
                  type="password"
                  autocomplete="new-password"
                />
                <mat-error>{{
                  form.controls.again.hasError('mismatch')
                    ? 'The two passwords differ.'
                    : 'Enter the password again.'
                }}</mat-error>
              </mat-form-field>
              @if (message(); as m) {
                <p class="error-text" role="alert">{{ m }}</p>
              }
              <button mat-flat-button type="submit" [disabled]="busy()">Set password</button>
            </form>
            <p class="muted small">Every device signed in to your account is signed out.</p>
          }
          <p><a routerLink="/sign-in">Back to sign in</a></p>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .reset {
      min-height: 100vh;
      display: grid;
      place-items: center;
      padding: 16px;
      box-sizing: border-box;
    }
    mat-card {
      width: 100%;
      max-width: 420px;
    }
    h1 {
      font-size: 1.4rem;
      font-weight: 500;
      margin: 8px 0 8px;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 12px;
      margin-top: 16px;
    }
    .bad {
      background: #fde2e1;
      color: #8c1d18;
      padding: 8px 12px;
      border-radius: 8px;
      margin-top: 12px;
    }
    .bad p {
      margin: 4px 0;
    }
    .small {
      font-size: 0.85rem;
    }
  `,
})
export class ResetPassword {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  readonly token = input<string>();
  readonly busy = signal(false);
  readonly badLink = signal(false);
  readonly message = signal<string | null>(null);
  readonly form = new FormGroup({
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    again: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });

  async submit(): Promise<void> {
    this.message.set(null);
    this.form.markAllAsTouched();
    const { password, again } = this.form.getRawValue();
    if (this.form.invalid) return;
    if (password !== again) {
      this.form.controls.again.setErrors({ mismatch: true });
      return;
    }
    this.busy.set(true);
    try {
      await call(
        this.session.api.POST('/v1/auth/password/reset', {
          body: { token: this.token() ?? '', password },
        }),
      );
      await this.router.navigate(['/sign-in'], { queryParams: { reset: 1 } });
    } catch (e) {
      if (e instanceof ApiProblem && e.problem?.errors?.some((f) => f.field === 'token'))
        this.badLink.set(true);
      else this.message.set(formMessage(this.form, e));
    } finally {
      this.busy.set(false);
    }
  }
}
