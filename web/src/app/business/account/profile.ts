import { Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe, formMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { profilePatch } from './profile-patch';

type User = components['schemas']['UserView'];

/**
 * The signed-in user's profile (`/business/profile`, `/customer/profile`):
 * name, email and photo (`PATCH /v1/me`), and a password to set or change.
 * The session's copy of the user is updated after each save.
 */
@Component({
  selector: 'app-profile',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page narrow-page">
      <div class="page-head"><h1>Your profile</h1></div>
      @if (user(); as u) {
        <mat-card appearance="outlined" class="section me">
          @if (u.photo_url && !photoBroken()) {
            <img [src]="u.photo_url" alt="" class="avatar" (error)="photoBroken.set(true)" />
          } @else {
            <span class="avatar initials" aria-hidden="true">{{ initials() }}</span>
          }
          <div>
            <p class="name">{{ u.name }}</p>
            <p class="muted">{{ u.phone | phone }} · {{ u.role | label }}</p>
            <p class="muted small">
              Your mobile number is how you sign in; it cannot be changed here.
            </p>
          </div>
        </mat-card>

        <mat-card appearance="outlined" class="section">
          <form [formGroup]="form" (ngSubmit)="save()" novalidate>
            <h2>Details</h2>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Name</mat-label>
                <input matInput formControlName="name" autocomplete="name" maxlength="100" />
                <mat-error>{{
                  form.controls.name.getError('api') ?? 'Your name is required.'
                }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>Email</mat-label>
                <input matInput formControlName="email" type="email" autocomplete="email" />
                <mat-hint>For password resets; empty it to remove it</mat-hint>
                <mat-error>{{ form.controls.email.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="wide">
                <mat-label>Photo URL</mat-label>
                <input
                  matInput
                  formControlName="photo_url"
                  type="url"
                  placeholder="https://…"
                  autocomplete="photo"
                />
                <mat-hint>A link to a picture of you (https)</mat-hint>
                <mat-error>{{ form.controls.photo_url.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
            @if (detailsMessage(); as m) {
              <p
                [class]="detailsOk() ? 'notice' : 'error-text'"
                [attr.role]="detailsOk() ? 'status' : 'alert'"
              >
                {{ m }}
              </p>
            }
            <div class="actions">
              <button mat-flat-button type="submit" [disabled]="saving() || form.pristine">
                Save details
              </button>
              @if (!form.pristine) {
                <button mat-button type="button" (click)="fill(u)">Undo changes</button>
              }
            </div>
          </form>
        </mat-card>

        <mat-card appearance="outlined" class="section">
          <form [formGroup]="passwordForm" (ngSubmit)="savePassword()" novalidate>
            <h2>{{ u.has_password ? 'Change your password' : 'Set a password' }}</h2>
            <p class="muted small">
              {{
                u.has_password
                  ? 'You can sign in with your password or with a code by SMS.'
                  : 'Without a password you sign in with a code sent by SMS. A password lets you sign in without waiting for it.'
              }}
            </p>
            <div class="fields">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>New password</mat-label>
                <input
                  matInput
                  formControlName="password"
                  type="password"
                  autocomplete="new-password"
                />
                <mat-error>{{
                  passwordForm.controls.password.getError('api') ?? 'Enter a password.'
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
                  passwordForm.controls.again.hasError('mismatch')
                    ? 'The two passwords differ.'
                    : 'Enter the password again.'
                }}</mat-error>
              </mat-form-field>
            </div>
            @if (passwordMessage(); as m) {
              <p
                [class]="passwordOk() ? 'notice' : 'error-text'"
                [attr.role]="passwordOk() ? 'status' : 'alert'"
              >
                {{ m }}
              </p>
            }
            <button mat-flat-button type="submit" [disabled]="savingPassword()">
              {{ u.has_password ? 'Change password' : 'Set password' }}
            </button>
          </form>
        </mat-card>
      } @else if (loadError(); as e) {
        <p class="error-text" role="alert">{{ e }}</p>
      }
    </div>
  `,
  styles: `
    .narrow-page {
      max-width: 760px;
    }
    .section {
      padding: 16px;
      margin-bottom: 12px;
    }
    .me {
      display: flex;
      flex-direction: row;
      gap: 16px;
      align-items: center;
    }
    .me p {
      margin: 2px 0;
    }
    .name {
      font-size: 1.2rem;
      font-weight: 500;
    }
    .avatar {
      width: 64px;
      height: 64px;
      border-radius: 50%;
      object-fit: cover;
      flex: none;
    }
    .initials {
      display: grid;
      place-items: center;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      font-size: 1.4rem;
      font-weight: 500;
    }
    h2 {
      font-size: 1.05rem;
      font-weight: 500;
      margin: 0 0 8px;
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 260px), 1fr));
      gap: 12px;
      margin-bottom: 12px;
    }
    .wide {
      grid-column: 1 / -1;
    }
    .small {
      font-size: 0.85rem;
    }
  `,
})
export class Profile implements OnInit {
  private readonly session = inject(Session);
  readonly user = this.session.user;
  readonly photoBroken = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly detailsMessage = signal<string | null>(null);
  readonly detailsOk = signal(false);
  readonly savingPassword = signal(false);
  readonly passwordMessage = signal<string | null>(null);
  readonly passwordOk = signal(false);
  readonly initials = computed(() =>
    (this.user()?.name ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0].toUpperCase())
      .join(''),
  );

  readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    email: new FormControl('', { nonNullable: true }),
    photo_url: new FormControl('', { nonNullable: true }),
  });
  readonly passwordForm = new FormGroup({
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    again: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });

  ngOnInit(): void {
    const u = this.user();
    if (u) this.fill(u);
    void this.refresh();
  }

  /** The latest profile (it may have changed on another device). */
  private async refresh(): Promise<void> {
    try {
      const me = await call(this.session.api.GET('/v1/me'));
      this.session.setUser(me);
      if (this.form.pristine) this.fill(me);
    } catch (e) {
      if (!this.user()) this.loadError.set(describe(e));
    }
  }

  fill(u: User): void {
    this.form.reset({ name: u.name, email: u.email ?? '', photo_url: u.photo_url ?? '' });
    this.photoBroken.set(false);
  }

  async save(): Promise<void> {
    const u = this.user();
    this.detailsMessage.set(null);
    this.form.markAllAsTouched();
    if (!u || this.form.invalid) return;
    this.saving.set(true);
    try {
      const saved = await call(
        this.session.api.PATCH('/v1/me', { body: profilePatch(u, this.form.getRawValue()) }),
      );
      this.session.setUser(saved);
      this.fill(saved);
      this.detailsOk.set(true);
      this.detailsMessage.set('Your details are saved.');
    } catch (e) {
      this.detailsOk.set(false);
      this.detailsMessage.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }

  async savePassword(): Promise<void> {
    this.passwordMessage.set(null);
    this.passwordForm.markAllAsTouched();
    const { password, again } = this.passwordForm.getRawValue();
    if (this.passwordForm.invalid) return;
    if (password !== again) {
      this.passwordForm.controls.again.setErrors({ mismatch: true });
      return;
    }
    this.savingPassword.set(true);
    try {
      const had = this.user()?.has_password;
      const saved = await call(this.session.api.PATCH('/v1/me', { body: { password } }));
      this.session.setUser(saved);
      this.passwordForm.reset();
      this.passwordOk.set(true);
      this.passwordMessage.set(
        had ? 'Your password is changed.' : 'Your password is set: you can now sign in with it.',
      );
    } catch (e) {
      this.passwordOk.set(false);
      this.passwordMessage.set(formMessage(this.passwordForm, e));
    } finally {
      this.savingPassword.set(false);
    }
  }
}
