import { Component, effect, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { call } from '../core/problem';
import { Session } from '../core/session';
import { PagedList } from '../shared/list-state';

type Card = components['schemas']['CompanyCard'];

/** Companies of the registry (`GET /v1/admin/companies`), searchable. */
@Component({
  selector: 'app-companies',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatTableModule, PagedList, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Companies</h1></div>
      <form class="filters" (ngSubmit)="search()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name, GSTIN, PAN or phone</mat-label>
          <input matInput name="q" [(ngModel)]="query" />
        </mat-form-field>
        <button mat-stroked-button type="submit">Search</button>
      </form>
      <app-paged-list [pager]="pager" emptyText="No company matches.">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Companies">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Company</th>
              <td mat-cell *matCellDef="let c"><a [routerLink]="['/admin/companies', c.id]">{{ c.name }}</a><div class="muted">{{ c.city }}</div></td>
            </ng-container>
            <ng-container matColumnDef="gstin">
              <th mat-header-cell *matHeaderCellDef>GSTIN</th>
              <td mat-cell *matCellDef="let c">{{ c.gstin ?? '—' }}</td>
            </ng-container>
            <ng-container matColumnDef="due_paise">
              <th mat-header-cell *matHeaderCellDef class="num">Due</th>
              <td mat-cell *matCellDef="let c" class="num">{{ c.due_paise | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="overdue_since">
              <th mat-header-cell *matHeaderCellDef>Overdue since</th>
              <td mat-cell *matCellDef="let c">{{ c.overdue_since | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="rating">
              <th mat-header-cell *matHeaderCellDef>Rating</th>
              <td mat-cell *matCellDef="let c"><span class="grade grade-{{ c.rating.grade }}">{{ c.rating.grade }}</span> {{ c.rating.score }}/100</td>
            </ng-container>
            <ng-container matColumnDef="reports">
              <th mat-header-cell *matHeaderCellDef class="num">Listed reports</th>
              <td mat-cell *matCellDef="let c" class="num">{{ c.approved_reports }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let c; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
})
export class Companies {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly q = input<string>();
  readonly columns = ['name', 'gstin', 'due_paise', 'overdue_since', 'rating', 'reports'];
  query = '';
  readonly pager = new Pager<Card>((cursor) =>
    call(this.session.api.GET('/v1/admin/companies', { params: { query: { q: this.q() || undefined, cursor, limit: 25 } } })),
  );

  constructor() {
    effect(() => {
      this.query = this.q() ?? '';
      void this.pager.reload();
    });
  }

  search(): void {
    void this.router.navigate([], { queryParams: { q: this.query.trim() || null } });
  }
}
