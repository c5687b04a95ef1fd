import { Component, inject, signal } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { phone } from '../../core/format';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe, formMessage, refused } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import { personControls } from '../../shared/person-fields';

type Member = components['schemas']['Member'];

/**
 * The owner and staff of the business (`/v1/business/staff`, owner only):
 * add a staff member by name and mobile number (they sign in with a code
 * sent to it), remove one (their sessions end at once).
 */
@Component({
  selector: 'app-staff',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    ListState,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Staff</h1>
        <button mat-flat-button type="button" (click)="adding.set(!adding())" [attr.aria-expanded]="adding()">
          Add staff
        </button>
      </div>
      <p class="muted">Staff bill, record payments and mark deliveries. Only you change settings and manage staff.</p>

      @if (adding()) {
        <mat-card appearance="outlined" class="add">
          <form [formGroup]="form" (ngSubmit)="add()" novalidate>
            <h2>Add a staff member</h2>
            <p class="muted">They sign in with a code sent to this phone.</p>
            <div class="fields">
              <mat-form-field appearance="outline">
                <mat-label>Name</mat-label>
                <input matInput formControlName="name" required maxlength="100" />
                <mat-error>{{ form.controls.name.getError('api') ?? 'A name is required.' }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Mobile number</mat-label>
                <input matInput formControlName="phone" type="tel" required />
                <mat-error>{{ form.controls.phone.getError('api') ?? 'A phone number is required.' }}</mat-error>
              </mat-form-field>
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

      <app-list-state [loading]="loading()" [error]="error()" [empty]="!members().length" (retry)="load()">
        <div class="table-wrap">
          <table mat-table [dataSource]="members()" aria-label="Owner and staff">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let m">{{ m.name }}</td>
            </ng-container>
            <ng-container matColumnDef="phone">
              <th mat-header-cell *matHeaderCellDef>Phone</th>
              <td mat-cell *matCellDef="let m" class="nowrap">{{ m.phone | phone }}</td>
            </ng-container>
            <ng-container matColumnDef="role">
              <th mat-header-cell *matHeaderCellDef>Role</th>
              <td mat-cell *matCellDef="let m">{{ m.role | label }}</td>
            </ng-container>
            <ng-container matColumnDef="added_at">
              <th mat-header-cell *matHeaderCellDef>Added</th>
              <td mat-cell *matCellDef="let m">{{ m.added_at | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let m">
                @if (m.role === 'staff') {
                  <button mat-button type="button" (click)="remove(m)" [attr.aria-label]="'Remove ' + m.name">
                    Remove
                  </button>
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let m; columns: columns"></tr>
          </table>
        </div>
      </app-list-state>
    </div>
  `,
  styles: `
    .add {
      padding: 16px;
      margin-bottom: 16px;
    }
    .add h2 {
      margin: 0;
      font-size: 1.1rem;
      font-weight: 500;
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      gap: 0 12px;
    }
    .nowrap {
      white-space: nowrap;
    }
    table.mat-mdc-table {
      min-width: 520px;
      width: 100%;
    }
  `,
})
export class Staff {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  readonly columns = ['name', 'phone', 'role', 'added_at', 'actions'];
  readonly members = signal<Member[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly adding = signal(false);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  private readonly person = personControls();
  /** Name and phone of [`personControls`] (staff have no email here: `POST /v1/business/staff` takes none). */
  readonly form = new FormGroup({ name: this.person.name, phone: this.person.phone });
  private key = newKey();

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.members.set((await call(this.session.api.GET('/v1/business/staff'))).items);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async add(): Promise<void> {
    this.form.markAllAsTouched();
    this.formError.set(null);
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    this.saving.set(true);
    try {
      const m = await call(
        this.session.api.POST('/v1/business/staff', {
          params: { header: { 'Idempotency-Key': this.key } },
          body: { name: v.name.trim(), phone: v.phone.trim() },
        }),
      );
      this.key = newKey();
      this.notice.set(`${m.name} was added. They sign in with a code sent to ${phone(m.phone)}.`);
      this.form.reset();
      this.adding.set(false);
      await this.load();
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }

  async remove(m: Member): Promise<void> {
    const answer = await this.confirm.ask({
      title: `Remove ${m.name}?`,
      message: 'They are signed out at once and can no longer see this business. What they recorded stays.',
      action: 'Remove',
      destructive: true,
    });
    if (!answer) return;
    try {
      await call(this.session.api.DELETE('/v1/business/staff/{user_id}', { params: { path: { user_id: m.user_id } } }));
      this.notice.set(`${m.name} was removed.`);
      await this.load();
    } catch (e) {
      this.notice.set(describe(e));
    }
  }
}
