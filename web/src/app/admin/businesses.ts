import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { PagedList } from '../shared/list-state';

type Business = components['schemas']['Business'];
type BusinessStatus = components['schemas']['BusinessStatus'];

/**
 * Asks, then disables or enables a business (`POST
 * /v1/admin/businesses/{id}/disable|enable`); the message to show, or null
 * when cancelled.
 */
export async function setBusinessStatus(
  session: Session,
  confirm: Confirm,
  business: { id: string; name: string },
  to: BusinessStatus,
): Promise<string | null> {
  const disable = to === 'disabled';
  const answer = await confirm.ask({
    title: `${disable ? 'Disable' : 'Enable'} ${business.name}?`,
    message: disable
      ? 'Its owner and staff cannot use Hisaab, and it cannot file reports, until it is enabled again.'
      : 'Its owner and staff can use Hisaab again.',
    action: disable ? 'Disable' : 'Enable',
    note: disable ? 'required' : 'optional',
    destructive: disable,
  });
  if (!answer) return null;
  const path = disable ? '/v1/admin/businesses/{business_id}/disable' : '/v1/admin/businesses/{business_id}/enable';
  try {
    await call(session.api.POST(path, { params: { path: { business_id: business.id } }, body: { note: answer.note } }));
    return `${business.name} is ${disable ? 'disabled' : 'enabled'}.`;
  } catch (e) {
    return describe(e);
  }
}

/** Businesses (`GET /v1/admin/businesses`), with enable and disable. */
@Component({
  selector: 'app-businesses',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatTableModule, PagedList, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Businesses</h1></div>
      @if (!senior()) {
        <p class="muted">Enabling and disabling a business is for the senior team.</p>
      }
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <form class="filters" (ngSubmit)="filter({ q: query.trim() || null })">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name starts with</mat-label>
          <input matInput name="q" [(ngModel)]="query" />
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
      <app-paged-list [pager]="pager" emptyText="No business matches.">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Businesses">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let b">{{ b.name }}</td>
            </ng-container>
            <ng-container matColumnDef="created_at">
              <th mat-header-cell *matHeaderCellDef>Joined</th>
              <td mat-cell *matCellDef="let b">{{ b.created_at | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let b">
                <span class="chip {{ b.status }}">{{ b.status | label }}</span>
                @if (b.disabled_reason) {
                  <span class="muted"> {{ b.disabled_reason }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let b">
                @if (senior()) {
                  @if (b.status === 'active') {
                    <button mat-button type="button" (click)="set(b, 'disabled')" [attr.aria-label]="'Disable ' + b.name">Disable</button>
                  } @else {
                    <button mat-button type="button" (click)="set(b, 'active')" [attr.aria-label]="'Enable ' + b.name">Enable</button>
                  }
                }
                <a mat-button routerLink="/admin/audit" [queryParams]="{ target_id: b.id }" [attr.aria-label]="'Audit log of ' + b.name">Audit</a>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let b; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
})
export class Businesses {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly confirm = inject(Confirm);
  readonly q = input<string>();
  readonly status = input<BusinessStatus>();
  readonly columns = ['name', 'created_at', 'status', 'actions'];
  readonly notice = signal<string | null>(null);
  /** Enabling and disabling is for the senior team (the API's rule). */
  readonly senior = computed(() => this.session.adminLevel() >= 1);
  query = '';

  readonly pager = new Pager<Business>((cursor) =>
    call(this.session.api.GET('/v1/admin/businesses', { params: { query: { q: this.q() || undefined, status: this.status(), cursor, limit: 25 } } })),
  );

  constructor() {
    effect(() => {
      this.query = this.q() ?? '';
      this.status();
      void this.pager.reload();
    });
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }

  async set(business: Business, to: BusinessStatus): Promise<void> {
    const message = await setBusinessStatus(this.session, this.confirm, business, to);
    if (message) {
      this.notice.set(message);
      await this.pager.refresh();
    }
  }
}
