import { Component, Directive, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Page, Pager } from '../core/pager';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { PagedList } from '../shared/list-state';

type Dispute = components['schemas']['Dispute'];
type EditRequest = components['schemas']['EditRequest'];
type CaseStatus = components['schemas']['CaseStatus'];
type DecisionAction = components['schemas']['DecisionAction'];

const CASE_STATUSES: CaseStatus[] = ['open', 'approved', 'rejected'];

/** What the two queues share: the status filter, the pager and deciding a case. */
@Directive()
abstract class CaseQueue<T extends { id: string; status: CaseStatus }> {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly confirm = inject(Confirm);
  /** From the query string; `open` when absent. */
  readonly status = input<CaseStatus>();
  readonly statuses = CASE_STATUSES;
  readonly busy = signal<string | null>(null);
  readonly actionError = signal<{ id: string; message: string } | null>(null);
  readonly pager = new Pager<T>((cursor) => this.fetch(this.status() ?? 'open', cursor));

  constructor() {
    effect(() => {
      this.status();
      void this.pager.reload();
    });
  }

  protected abstract fetch(status: CaseStatus, cursor: string | undefined): Promise<Page<T>>;
  protected abstract post(id: string, action: DecisionAction, note: string | null): Promise<unknown>;
  protected abstract what(action: DecisionAction): string;

  filter(status: string): void {
    void this.router.navigate([], { queryParams: { status: status === 'open' ? null : status } });
  }

  async decide(item: T, action: DecisionAction): Promise<void> {
    const answer = await this.confirm.ask({
      title: action === 'approve' ? 'Approve' : 'Reject',
      message: this.what(action),
      action: action === 'approve' ? 'Approve' : 'Reject',
      note: action === 'reject' ? 'required' : 'optional',
      destructive: action === 'reject',
    });
    if (!answer) return;
    this.busy.set(item.id);
    this.actionError.set(null);
    try {
      await this.post(item.id, action, answer.note);
      await this.pager.refresh();
    } catch (e) {
      this.actionError.set({ id: item.id, message: describe(e) });
    } finally {
      this.busy.set(null);
    }
  }
}


/** The status filter of a queue. */
@Component({
  selector: 'app-case-filter',
  imports: [FormsModule, MatFormFieldModule, MatSelectModule, ...FORMAT_PIPES],
  template: `
    <div class="filters">
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Status</mat-label>
        <mat-select [ngModel]="status()" (ngModelChange)="changed.emit($event)">
          @for (s of statuses; track s) {
            <mat-option [value]="s">{{ s | label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
  `,
})
export class CaseFilter {
  readonly status = input<CaseStatus>('open');
  readonly changed = output<CaseStatus>();
  readonly statuses = CASE_STATUSES;
}

/** A case's decision buttons while it is open, else its decision note. */
@Component({
  selector: 'app-case-decision',
  imports: [MatButtonModule],
  template: `
    @if (status() === 'open') {
      <div class="actions">
        <button mat-flat-button type="button" [disabled]="busy()" (click)="decide.emit('approve')">Approve</button>
        <button mat-stroked-button type="button" [disabled]="busy()" (click)="decide.emit('reject')">Reject</button>
      </div>
    } @else if (note()) {
      <p>Decision: “{{ note() }}”</p>
    }
    @if (error(); as message) {
      <p class="error-text" role="alert">{{ message }}</p>
    }
  `,
})
export class CaseDecision {
  readonly status = input.required<CaseStatus>();
  readonly note = input<string | null | undefined>(null);
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly decide = output<DecisionAction>();
}

const SHARED_IMPORTS = [RouterLink, MatCardModule, PagedList, CaseFilter, CaseDecision, ...FORMAT_PIPES];

const STYLES = `
  .case { margin-bottom: 12px; padding: 12px 16px; }
  .case h2 { font-size: 1.05rem; font-weight: 500; margin: 0 0 4px; }
  .case p { margin: 4px 0; }
`;

/** Disputes raised by reported companies (`GET /v1/admin/disputes`), with their decisions. */
@Component({
  selector: 'app-disputes',
  imports: SHARED_IMPORTS,
  template: `
    <div class="page">
      <div class="page-head"><h1>Disputes</h1></div>
      <app-case-filter [status]="status() ?? 'open'" (changed)="filter($event)" />
      <app-paged-list [pager]="pager" emptyText="No disputes with this status.">
        @for (item of pager.items(); track item.id) {
          <mat-card appearance="outlined" class="case">
            <h2>Dispute of <a [routerLink]="['/admin/transactions', item.report_id]">report {{ item.report_id }}</a></h2>
            <p class="muted">Raised {{ item.created_at | indianDateTime }} by {{ item.raised_by }} · <span class="chip {{ item.status }}">{{ item.status | label }}</span></p>
            <p>{{ item.reason }}</p>
            @if (item.documents.length) {
              <p>Documents: @for (d of item.documents; track d.upload_id) { @if (d.url) { <a [href]="d.url" target="_blank" rel="noopener">{{ d.kind | label }}</a> } @else { {{ d.kind | label }} } }</p>
            }
            @if (item.answer; as a) {
              <p class="answer"><strong>The reporter answers</strong> ({{ a.at | indianDateTime }}): {{ a.text }}</p>
              @if (a.documents.length) {
                <p>Their documents: @for (d of a.documents; track d.upload_id) { @if (d.url) { <a [href]="d.url" target="_blank" rel="noopener">{{ d.kind | label }}</a> } @else { {{ d.kind | label }} } }</p>
              }
            }
            <app-case-decision
              [status]="item.status"
              [note]="item.decision_note"
              [busy]="busy() === item.id"
              [error]="actionError()?.id === item.id ? actionError()!.message : null"
              (decide)="decide(item, $event)"
            />
          </mat-card>
        }
      </app-paged-list>
    </div>
  `,
  styles: STYLES,
})
export class Disputes extends CaseQueue<Dispute> {
  protected fetch(status: CaseStatus, cursor: string | undefined) {
    return call(this.session.api.GET('/v1/admin/disputes', { params: { query: { status, cursor, limit: 20 } } }));
  }
  protected post(id: string, action: DecisionAction, note: string | null) {
    return call(this.session.api.POST('/v1/admin/disputes/{dispute_id}/actions', { params: { path: { dispute_id: id } }, body: { action, note } }));
  }
  protected what(action: DecisionAction): string {
    return action === 'approve'
      ? 'Uphold this dispute? The report is removed from the registry and counts as a wrong report of its reporter.'
      : 'Reject this dispute? The report stays as it is.';
  }
}

/** Reporters' requests to withdraw or correct a report (`GET /v1/admin/edit-requests`). */
@Component({
  selector: 'app-edit-requests',
  imports: SHARED_IMPORTS,
  template: `
    <div class="page">
      <div class="page-head"><h1>Edit requests</h1></div>
      <app-case-filter [status]="status() ?? 'open'" (changed)="filter($event)" />
      <app-paged-list [pager]="pager" emptyText="No edit requests with this status.">
        @for (item of pager.items(); track item.id) {
          <mat-card appearance="outlined" class="case">
            <h2>{{ item.kind === 'withdraw' ? 'Withdraw' : 'Correct' }} <a [routerLink]="['/admin/transactions', item.report_id]">report {{ item.report_id }}</a></h2>
            <p class="muted">Asked {{ item.created_at | indianDateTime }} by {{ item.raised_by }} · <span class="chip {{ item.status }}">{{ item.status | label }}</span></p>
            <p>{{ item.reason }}</p>
            @if (item.corrections.length) {
              <ul>
                @for (c of item.corrections; track c.number) {
                  <li>Invoice {{ c.number }}: amount due {{ c.amount_paise | rupees }}</li>
                }
              </ul>
            }
            <app-case-decision
              [status]="item.status"
              [note]="item.decision_note"
              [busy]="busy() === item.id"
              [error]="actionError()?.id === item.id ? actionError()!.message : null"
              (decide)="decide(item, $event)"
            />
          </mat-card>
        }
      </app-paged-list>
    </div>
  `,
  styles: STYLES,
})
export class EditRequests extends CaseQueue<EditRequest> {
  protected fetch(status: CaseStatus, cursor: string | undefined) {
    return call(this.session.api.GET('/v1/admin/edit-requests', { params: { query: { status, cursor, limit: 20 } } }));
  }
  protected post(id: string, action: DecisionAction, note: string | null) {
    return call(this.session.api.POST('/v1/admin/edit-requests/{edit_request_id}/actions', { params: { path: { edit_request_id: id } }, body: { action, note } }));
  }
  protected what(action: DecisionAction): string {
    return action === 'approve' ? 'Grant this request? The report is withdrawn or corrected as asked.' : 'Refuse this request? The report stays as it is.';
  }
}
