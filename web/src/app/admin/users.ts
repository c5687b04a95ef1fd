import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, FormsModule, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { newKey } from '../core/files';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { call, describe, formMessage, refused } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { PagedList } from '../shared/list-state';
import { PersonFields, personControls } from '../shared/person-fields';

type User = components['schemas']['UserView'];
type Role = components['schemas']['Role'];
type UserStatus = components['schemas']['UserStatus'];

const ROLES: Role[] = ['owner', 'staff', 'customer', 'admin_l1', 'admin_senior', 'admin_super'];

/** Members (`GET /v1/admin/users`): search, add, enable or disable, send a password-reset mail. */
@Component({
  selector: 'app-users',
  imports: [FormsModule, ReactiveFormsModule, PersonFields, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatTableModule, PagedList, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Users</h1>
        <button mat-flat-button type="button" (click)="adding.set(!adding())" [attr.aria-expanded]="adding()">Add a user</button>
      </div>

      @if (adding()) {
        <mat-card appearance="outlined" class="add">
          <form [formGroup]="form" (ngSubmit)="add()" novalidate>
            <h2>Add a user</h2>
            <p class="muted">They sign in with a code sent to their phone.</p>
            <div class="fields">
              <app-person-fields [group]="form" />
              <mat-form-field appearance="outline">
                <mat-label>Role</mat-label>
                <mat-select formControlName="role">
                  <mat-option value="owner">Business owner</mat-option>
                  <mat-option value="customer">Customer</mat-option>
                </mat-select>
              </mat-form-field>
              @if (form.controls.role.value === 'owner') {
                <mat-form-field appearance="outline">
                  <mat-label>Business name</mat-label>
                  <input matInput formControlName="business_name" />
                  <mat-error>{{ form.controls.business_name.getError('api') }}</mat-error>
                </mat-form-field>
              }
            </div>
            @if (formError(); as m) {
              <p class="error-text" role="alert">{{ m }}</p>
            }
            <div class="actions">
              <button mat-flat-button type="submit" [disabled]="saving()">Add</button>
              <button mat-button type="button" (click)="adding.set(false)">Cancel</button>
            </div>
          </form>
        </mat-card>
      }
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }

      <form class="filters" (ngSubmit)="search()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name or phone</mat-label>
          <input matInput name="q" [(ngModel)]="query" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Role</mat-label>
          <mat-select name="role" [ngModel]="role() ?? ''" (ngModelChange)="filter({ role: $event || null })">
            <mat-option value="">Any</mat-option>
            @for (r of roles; track r) {
              <mat-option [value]="r">{{ r | label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Status</mat-label>
          <mat-select name="status" [ngModel]="status() ?? ''" (ngModelChange)="filter({ status: $event || null })">
            <mat-option value="">Any</mat-option>
            <mat-option value="active">Active</mat-option>
            <mat-option value="disabled">Disabled</mat-option>
          </mat-select>
        </mat-form-field>
        <button mat-stroked-button type="submit">Search</button>
      </form>

      <app-paged-list [pager]="pager" emptyText="No user matches.">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Users">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let u">{{ u.name }}</td>
            </ng-container>
            <ng-container matColumnDef="phone">
              <th mat-header-cell *matHeaderCellDef>Phone</th>
              <td mat-cell *matCellDef="let u">{{ u.phone | phone }}</td>
            </ng-container>
            <ng-container matColumnDef="role">
              <th mat-header-cell *matHeaderCellDef>Role</th>
              <td mat-cell *matCellDef="let u">{{ u.role | label }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let u"><span class="chip {{ u.status }}">{{ u.status | label }}</span></td>
            </ng-container>
            <ng-container matColumnDef="created_at">
              <th mat-header-cell *matHeaderCellDef>Joined</th>
              <td mat-cell *matCellDef="let u">{{ u.created_at | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let u">
                <div class="actions">
                  @if (senior() && u.id !== session.user()?.id) {
                    @if (u.status === 'active') {
                      <button mat-button type="button" (click)="setStatus(u, 'disabled')" [attr.aria-label]="'Disable ' + u.name">Disable</button>
                    } @else {
                      <button mat-button type="button" (click)="setStatus(u, 'active')" [attr.aria-label]="'Enable ' + u.name">Enable</button>
                    }
                  }
                  @if (u.email) {
                    <button mat-button type="button" (click)="reset(u)" [attr.aria-label]="'Send a password-reset mail to ' + u.name">Reset password</button>
                  }
                </div>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let u; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .add { padding: 16px; margin-bottom: 16px; }
    .add h2 { margin: 0; font-size: 1.1rem; font-weight: 500; }
    .fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 0 12px; }
  `,
})
export class Users {
  readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly confirm = inject(Confirm);
  /** Enabling and disabling users is for the senior team (the API's rule). */
  readonly senior = computed(() => this.session.adminLevel() >= 1);
  readonly q = input<string>();
  readonly role = input<Role>();
  readonly status = input<UserStatus>();
  readonly roles = ROLES;
  readonly columns = ['name', 'phone', 'role', 'status', 'created_at', 'actions'];
  query = '';

  readonly adding = signal(false);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly form = new FormGroup({
    ...personControls(),
    role: new FormControl<'owner' | 'customer'>('owner', { nonNullable: true }),
    business_name: new FormControl('', { nonNullable: true }),
  });
  private key = newKey();

  readonly pager = new Pager<User>((cursor) =>
    call(
      this.session.api.GET('/v1/admin/users', {
        params: { query: { q: this.q() || undefined, role: this.role(), status: this.status(), cursor, limit: 25 } },
      }),
    ),
  );

  constructor() {
    effect(() => {
      this.query = this.q() ?? '';
      this.role();
      this.status();
      void this.pager.reload();
    });
  }

  search(): void {
    this.filter({ q: this.query.trim() || null });
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }

  async add(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    this.saving.set(true);
    this.formError.set(null);
    try {
      const user = await call(
        this.session.api.POST('/v1/admin/users', {
          params: { header: { 'Idempotency-Key': this.key } },
          body: {
            name: v.name.trim(),
            phone: v.phone.trim(),
            email: v.email.trim() || null,
            role: v.role,
            business_name: v.role === 'owner' ? v.business_name.trim() || null : null,
          },
        }),
      );
      this.key = newKey();
      this.notice.set(`${user.name} was added.`);
      this.form.reset();
      this.adding.set(false);
      await this.pager.reload();
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }

  async setStatus(user: User, to: UserStatus): Promise<void> {
    const disable = to === 'disabled';
    const answer = await this.confirm.ask({
      title: disable ? `Disable ${user.name}?` : `Enable ${user.name}?`,
      message: disable ? 'They are signed out and cannot sign in until enabled again.' : 'They can sign in again.',
      action: disable ? 'Disable' : 'Enable',
      note: 'optional',
      destructive: disable,
    });
    if (!answer) return;
    const path = disable ? '/v1/admin/users/{user_id}/disable' : '/v1/admin/users/{user_id}/enable';
    try {
      await call(this.session.api.POST(path, { params: { path: { user_id: user.id } }, body: { note: answer.note } }));
      this.notice.set(`${user.name} is ${disable ? 'disabled' : 'enabled'}.`);
      await this.pager.refresh();
    } catch (e) {
      this.notice.set(describe(e));
    }
  }

  async reset(user: User): Promise<void> {
    const answer = await this.confirm.ask({
      title: 'Send a password-reset mail?',
      message: `${user.name} gets a link at ${user.email} to choose a new password.`,
      action: 'Send',
    });
    if (!answer) return;
    try {
      await call(this.session.api.POST('/v1/admin/users/{user_id}/password-reset', { params: { path: { user_id: user.id } } }));
      this.notice.set(`A reset link was mailed to ${user.email}.`);
    } catch (e) {
      this.notice.set(describe(e));
    }
  }
}
