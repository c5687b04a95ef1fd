import { Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { newKey } from '../core/files';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe, formMessage, refused } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { ListState } from '../shared/list-state';
import { PersonFields, personControls } from '../shared/person-fields';

type User = components['schemas']['UserView'];
type AdminRole = 'admin_l1' | 'admin_senior' | 'admin_super';

const LEVELS: AdminRole[] = ['admin_l1', 'admin_senior', 'admin_super'];

/** The platform's admins (`GET /v1/admin/employees`): add one, change a level. Super admins only. */
@Component({
  selector: 'app-employees',
  imports: [ReactiveFormsModule, PersonFields, MatButtonModule, MatCardModule, MatFormFieldModule, MatSelectModule, MatTableModule, ListState, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Employees</h1></div>
      <mat-card appearance="outlined" class="add">
        <form [formGroup]="form" (ngSubmit)="add()" novalidate>
          <h2>Add an admin</h2>
          <div class="fields">
            <app-person-fields [group]="form" />
            <mat-form-field appearance="outline">
              <mat-label>Level</mat-label>
              <mat-select formControlName="role">
                @for (l of levels; track l) {
                  <mat-option [value]="l">{{ l | label }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
          </div>
          @if (formError(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="saving()">Add admin</button>
        </form>
      </mat-card>
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <app-list-state [loading]="loading()" [error]="error()" [empty]="employees().length === 0" (retry)="load()">
        <div class="table-wrap">
          <table mat-table [dataSource]="employees()" aria-label="Admins">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let u">{{ u.name }}</td>
            </ng-container>
            <ng-container matColumnDef="phone">
              <th mat-header-cell *matHeaderCellDef>Phone</th>
              <td mat-cell *matCellDef="let u">{{ u.phone | phone }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let u"><span class="chip {{ u.status }}">{{ u.status | label }}</span></td>
            </ng-container>
            <ng-container matColumnDef="role">
              <th mat-header-cell *matHeaderCellDef>Level</th>
              <td mat-cell *matCellDef="let u">
                <mat-form-field appearance="outline" subscriptSizing="dynamic" class="level">
                  <mat-label>Level of {{ u.name }}</mat-label>
                  <mat-select [value]="u.role" (selectionChange)="change(u, $event.value)" [disabled]="u.id === session.user()?.id">
                    @for (l of levels; track l) {
                      <mat-option [value]="l">{{ l | label }}</mat-option>
                    }
                  </mat-select>
                </mat-form-field>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let u; columns: columns"></tr>
          </table>
        </div>
      </app-list-state>
    </div>
  `,
  styles: `
    .add { padding: 16px; margin-bottom: 16px; }
    .add h2 { margin: 0 0 8px; font-size: 1.1rem; font-weight: 500; }
    .fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 0 12px; }
    .level { width: 180px; }
  `,
})
export class Employees {
  readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  readonly levels = LEVELS;
  readonly columns = ['name', 'phone', 'status', 'role'];
  readonly employees = signal<User[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly form = new FormGroup({
    ...personControls(),
    role: new FormControl<AdminRole>('admin_l1', { nonNullable: true }),
  });
  private key = newKey();

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.employees.set(await call(this.session.api.GET('/v1/admin/employees')));
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async add(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    this.saving.set(true);
    this.formError.set(null);
    try {
      const user = await call(
        this.session.api.POST('/v1/admin/employees', {
          params: { header: { 'Idempotency-Key': this.key } },
          body: { name: v.name.trim(), phone: v.phone.trim(), email: v.email.trim() || null, role: v.role },
        }),
      );
      this.key = newKey();
      this.notice.set(`${user.name} was added as ${v.role.replace('admin_', '').toUpperCase()}.`);
      this.form.reset();
      await this.load();
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }

  async change(user: User, role: AdminRole): Promise<void> {
    const answer = await this.confirm.ask({
      title: `Change the level of ${user.name}?`,
      message: `From ${user.role.replace('admin_', '')} to ${role.replace('admin_', '')}.`,
      action: 'Change level',
    });
    if (!answer) {
      await this.load(); // put the select back
      return;
    }
    try {
      await call(this.session.api.PATCH('/v1/admin/employees/{user_id}', { params: { path: { user_id: user.id } }, body: { role } }));
      this.notice.set(`${user.name}'s level was changed.`);
    } catch (e) {
      this.notice.set(describe(e));
    }
    await this.load();
  }
}
