import { Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { debounceTime, distinctUntilChanged, filter, map } from 'rxjs';
import type { components } from '../api/schema';
import { newKey, saveFile } from '../core/files';
import { FORMAT_PIPES } from '../core/format.pipes';
import { indianDateTime } from '../core/format';
import { call, describe, formMessage, refused } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { ListState } from '../shared/list-state';

type AdminExport = components['schemas']['AdminExport'];
type Business = components['schemas']['Business'];

/** What an export can hold (`kind`), as the API names it, with words for people. */
export const EXPORT_KINDS: readonly { value: string; text: string }[] = [
  { value: 'all', text: 'Everything' },
  { value: 'businesses', text: 'Business profiles, settings and staff' },
  { value: 'customers', text: 'Customers' },
  { value: 'products', text: 'Products' },
  { value: 'categories', text: 'Product categories' },
  { value: 'stock', text: 'Stock (movements, suppliers, receipts)' },
  { value: 'invoices', text: 'Invoices (with their history)' },
  { value: 'payments', text: 'Payments' },
  { value: 'orders', text: 'Orders' },
  { value: 'deliveries', text: 'Deliveries' },
  { value: 'comments', text: 'Comments on deliveries' },
  { value: 'companies', text: 'Registry companies' },
  { value: 'reports', text: 'Registry reports' },
  { value: 'disputes', text: 'Disputes' },
  { value: 'edit-requests', text: 'Edit requests' },
  { value: 'users', text: 'Users' },
  { value: 'audit', text: 'Audit log' },
  { value: 'notifications', text: 'Notification log' },
  { value: 'aggregates', text: 'Kept totals (day, month, dashboard figures)' },
  { value: 'other', text: 'Everything else' },
];

/** The words for an export's `kind`. */
export function kindText(kind: string): string {
  return EXPORT_KINDS.find((k) => k.value === kind)?.text ?? kind;
}

/** A file size for people: `812 B`, `12.4 kB`, `3.2 MB` (powers of 1000). */
export function fileSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let n = bytes / 1000;
  let unit = 0;
  while (n >= 1000 && unit < units.length - 1) {
    n /= 1000;
    unit += 1;
  }
  return `${n >= 100 ? Math.round(n) : n.toFixed(1)} ${units[unit]}`;
}

/** A download's file name: `hisaab-customers-asha-traders-2026-12-01.jsonl`. */
export function exportFileName(kind: string, whose: string, at: string): string {
  const slug = whose
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const day = /^\d{4}-\d{2}-\d{2}/.exec(at)?.[0] ?? 'export';
  return `hisaab-${kind}-${slug || 'platform'}-${day}.jsonl`;
}

/** How often a queued or running export is looked at again. */
const POLL_MS = 3_000;

/**
 * Data exports (`/v1/admin/exports`), super admins only: ask for one
 * business's data or the whole platform's, of one kind or everything; the
 * `exports` job writes the JSON Lines file within a minute, and a done
 * export gives a fresh 15-minute link (`GET /v1/admin/exports/{id}`, audited).
 * Queued and running exports are looked at again every few seconds.
 */
@Component({
  selector: 'app-exports',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    MatTableModule,
    ListState,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head"><h1>Exports</h1></div>
      <p class="about muted">
        Files are JSON Lines (one stored item a line), ready for <code>hisaab import</code>. A download link works for
        15 minutes, and every download is recorded in the audit log.
      </p>
      <mat-card appearance="outlined" class="new">
        <form [formGroup]="form" (ngSubmit)="start()" novalidate aria-labelledby="new-export">
          <h2 id="new-export">New export</h2>
          <div class="fields">
            <mat-form-field appearance="outline" class="kind">
              <mat-label>What</mat-label>
              <mat-select formControlName="kind">
                @for (k of kinds; track k.value) {
                  <mat-option [value]="k.value">{{ k.text }}</mat-option>
                }
              </mat-select>
              @if (form.controls.kind.hasError('api')) {
                <mat-error>{{ form.controls.kind.getError('api') }}</mat-error>
              }
            </mat-form-field>
            <div class="whose">
              <span id="whose-label" class="whose-label">Whose data</span>
              <mat-radio-group formControlName="scope" aria-labelledby="whose-label">
                <mat-radio-button value="business">One business</mat-radio-button>
                <mat-radio-button value="platform">The whole platform</mat-radio-button>
              </mat-radio-group>
            </div>
            @if (scope() === 'business') {
              <mat-form-field appearance="outline" class="business" subscriptSizing="dynamic">
                <mat-label>Business</mat-label>
                <input
                  matInput
                  formControlName="business_id"
                  [matAutocomplete]="auto"
                  autocomplete="off"
                  spellcheck="false"
                />
                <mat-autocomplete #auto="matAutocomplete" [displayWith]="businessText">
                  @for (b of matches(); track b.id) {
                    <mat-option [value]="b">
                      <span>{{ b.name }}</span>
                      <span class="muted small">
                        {{ b.status === 'disabled' ? 'disabled · ' : '' }}joined {{ b.created_at | indianDate }}</span
                      >
                    </mat-option>
                  }
                  @if (searchedFor() && !matches().length) {
                    <mat-option disabled>No business name starts with “{{ searchedFor() }}”.</mat-option>
                  }
                </mat-autocomplete>
                <mat-hint>The start of its name, or its id (biz_…)</mat-hint>
                @if (form.controls.business_id.hasError('api')) {
                  <mat-error>{{ form.controls.business_id.getError('api') }}</mat-error>
                } @else if (form.controls.business_id.hasError('pick')) {
                  <mat-error>{{ form.controls.business_id.getError('pick') }}</mat-error>
                }
              </mat-form-field>
            }
          </div>
          @if (formError(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="saving()">Start export</button>
        </form>
      </mat-card>

      @if (notice(); as n) {
        <p role="status" class="notice">
          {{ n.text }}
          @if (n.url) {
            <a [href]="n.url" target="_blank" rel="noopener">Open the link</a>
            <span class="muted"> (works until {{ n.until }})</span>
          }
        </p>
      }

      <h2 class="list-head">Recent exports</h2>
      <app-list-state
        [loading]="loading()"
        [error]="error()"
        [empty]="exports().length === 0"
        emptyText="No exports yet."
        (retry)="load()"
      >
        <div class="table-wrap">
          <table mat-table [dataSource]="exports()" aria-label="Recent exports" class="exports">
            <ng-container matColumnDef="kind">
              <th mat-header-cell *matHeaderCellDef>What</th>
              <td mat-cell *matCellDef="let e" data-label="What">{{ kindOf(e.kind) }}</td>
            </ng-container>
            <ng-container matColumnDef="whose">
              <th mat-header-cell *matHeaderCellDef>Whose</th>
              <td mat-cell *matCellDef="let e" data-label="Whose">
                @if (e.business_id) {
                  @if (names().get(e.business_id); as name) {
                    {{ name }}
                  } @else {
                    <code>{{ e.business_id }}</code>
                  }
                } @else {
                  The whole platform
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="requested_at">
              <th mat-header-cell *matHeaderCellDef>Requested</th>
              <td mat-cell *matCellDef="let e" data-label="Requested">
                {{ e.requested_at | indianDateTime }}
                @if (admins().get(e.requested_by); as by) {
                  <span class="muted by">by {{ by }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let e" data-label="Status">
                <span class="chip export-{{ e.status }}">{{ statusText(e.status) }}</span>
                @if (e.error) {
                  <span class="error-text failure">{{ e.error }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="items">
              <th mat-header-cell *matHeaderCellDef class="num">Items</th>
              <td mat-cell *matCellDef="let e" class="num" data-label="Items">
                {{ e.items === null || e.items === undefined ? '—' : count(e.items) }}
              </td>
            </ng-container>
            <ng-container matColumnDef="bytes">
              <th mat-header-cell *matHeaderCellDef class="num">Size</th>
              <td mat-cell *matCellDef="let e" class="num" data-label="Size">{{ size(e.bytes) }}</td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Download</span></th>
              <td mat-cell *matCellDef="let e" class="act">
                @if (e.status === 'done') {
                  <button
                    mat-stroked-button
                    type="button"
                    (click)="download(e)"
                    [disabled]="downloading() === e.id"
                    [attr.aria-label]="'Download ' + kindOf(e.kind) + ' of ' + whoseText(e)"
                  >
                    Download
                  </button>
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr
              mat-row
              *matRowDef="let e; columns: columns"
              [attr.data-export]="e.id"
              [class.failed]="e.status === 'failed'"
            ></tr>
          </table>
        </div>
      </app-list-state>
    </div>
  `,
  styles: `
    .about {
      margin: 0 0 16px;
      max-width: 70ch;
    }
    .new {
      padding: 16px;
      margin-bottom: 16px;
    }
    .new h2,
    .list-head {
      margin: 0 0 12px;
      font-size: 1.1rem;
      font-weight: 500;
    }
    .list-head {
      margin-top: 24px;
    }
    .fields {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      align-items: flex-start;
    }
    .kind {
      width: 300px;
    }
    .business {
      width: 340px;
      margin-bottom: 16px;
    }
    table.exports {
      width: 100%;
    }
    .whose {
      display: flex;
      flex-direction: column;
      min-height: 56px;
      margin-bottom: 12px;
    }
    .whose-label {
      font-size: 0.85rem;
      color: var(--mat-sys-on-surface-variant);
    }
    .whose mat-radio-group {
      display: flex;
      flex-wrap: wrap;
    }
    .small {
      font-size: 0.8rem;
      margin-left: 8px;
    }
    .by {
      display: block;
      font-size: 0.8rem;
    }
    .failure {
      display: block;
      font-size: 0.85rem;
      margin-top: 2px;
    }
    .chip.export-done {
      background: #d7f5dd;
      color: #0b5a1f;
    }
    .chip.export-failed {
      background: #fde2e1;
      color: #8c1d18;
    }
    .chip.export-running {
      background: #dae2f9;
      color: #0b3a84;
    }
    .chip.export-queued {
      background: #fff1c7;
      color: #6b4e00;
    }
    .act {
      text-align: right;
      white-space: nowrap;
    }
    code {
      font-size: 0.85em;
      word-break: break-all;
    }
    @media (max-width: 600px) {
      .kind,
      .business {
        width: 100%;
      }
      .whose {
        width: 100%;
      }
      table.exports {
        min-width: 0;
      }
      table.exports tr.mat-mdc-header-row {
        display: none;
      }
      /* A grid makes its children (the table's own tbody) blocks as wide as the list. */
      table.exports {
        display: grid;
        grid-template-columns: 100%;
      }
      table.exports tr.mat-mdc-row {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) 128px;
        gap: 6px 12px;
        height: auto;
        width: 100%;
        box-sizing: border-box;
        grid-template-areas: 'kind kind status' 'whose whose whose' 'req req req' 'items size act';
        padding: 12px 4px;
        border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc);
      }
      table.exports tr.mat-mdc-row.failed {
        grid-template-areas: 'kind kind kind' 'status status status' 'whose whose whose' 'req req req' 'items size act';
      }
      table.exports td.mat-mdc-cell {
        display: block;
        border: 0;
        padding: 0;
        min-height: 0;
        text-align: left;
      }
      table.exports td[data-label]::before {
        content: attr(data-label);
        display: block;
        font-size: 0.75rem;
        color: var(--mat-sys-on-surface-variant);
      }
      table.exports td.mat-column-kind {
        grid-area: kind;
      }
      table.exports td.mat-column-status {
        grid-area: status;
      }
      table.exports td.mat-column-whose {
        grid-area: whose;
      }
      table.exports td.mat-column-requested_at {
        grid-area: req;
      }
      table.exports td.mat-column-items {
        grid-area: items;
      }
      table.exports td.mat-column-bytes {
        grid-area: size;
      }
      table.exports td.act {
        grid-area: act;
        align-self: end;
        text-align: right;
      }
      .by {
        display: inline;
        margin-left: 4px;
      }
    }
  `,
})
export class Exports {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  readonly kinds = EXPORT_KINDS;
  readonly columns = ['kind', 'whose', 'requested_at', 'status', 'items', 'bytes', 'actions'];

  readonly exports = signal<AdminExport[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly notice = signal<{ text: string; url?: string; until?: string } | null>(null);
  readonly downloading = signal<string | null>(null);
  /** Business names by id: from the picker's searches and one page of businesses. */
  readonly names = signal(new Map<string, string>());
  /** Admins' names by id (`GET /v1/admin/employees`). */
  readonly admins = signal(new Map<string, string>());
  readonly matches = signal<Business[]>([]);
  readonly searchedFor = signal('');

  readonly form = new FormGroup({
    kind: new FormControl('all', { nonNullable: true }),
    scope: new FormControl<'business' | 'platform'>('business', { nonNullable: true }),
    /** The business picked (an object), or what was typed (a name's start or an id). */
    business_id: new FormControl<Business | string>('', { nonNullable: true }),
  });
  readonly scope = toSignal(this.form.controls.scope.valueChanges, { initialValue: this.form.controls.scope.value });
  private readonly pending = computed(() =>
    this.exports().some((e) => e.status === 'queued' || e.status === 'running'),
  );

  private timer: ReturnType<typeof setTimeout> | undefined;
  private alive = true;
  private triedNames = false;
  private search = 0;
  private key = newKey();

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.alive = false;
      clearTimeout(this.timer);
    });
    this.form.controls.business_id.valueChanges
      .pipe(
        filter((v): v is string => typeof v === 'string'),
        map((v) => v.trim()),
        debounceTime(200),
        distinctUntilChanged(),
      )
      .subscribe((q) => void this.searchBusinesses(q));
    void this.load();
    void this.loadAdmins();
    void this.searchBusinesses('');
  }

  readonly businessText = (b: Business | string | null): string => (typeof b === 'string' ? b : (b?.name ?? ''));
  kindOf(kind: string): string {
    return kindText(kind);
  }
  size(bytes: number | null | undefined): string {
    return fileSize(bytes);
  }
  count(n: number): string {
    return n.toLocaleString('en-IN');
  }
  statusText(status: AdminExport['status']): string {
    return { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' }[status];
  }
  whoseText(e: AdminExport): string {
    return e.business_id ? (this.names().get(e.business_id) ?? e.business_id) : 'the whole platform';
  }

  /** The list; `quiet` for the refreshes while an export is being written (no progress bar). */
  async load(quiet = false): Promise<void> {
    clearTimeout(this.timer);
    if (!quiet) {
      this.loading.set(true);
      this.error.set(null);
    }
    try {
      const list = await call(this.session.api.GET('/v1/admin/exports'));
      if (!this.alive) return;
      this.exports.set(list);
      this.error.set(null);
      void this.resolveNames(list);
    } catch (e) {
      if (!quiet) this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
    if (this.alive && this.pending()) this.timer = setTimeout(() => void this.load(true), POLL_MS);
  }

  async start(): Promise<void> {
    const v = this.form.getRawValue();
    const control = this.form.controls.business_id;
    this.formError.set(null);
    let businessId: string | null = null;
    let businessName: string | null = null;
    if (v.scope === 'business') {
      const picked = typeof v.business_id === 'string' ? this.pickFromText(v.business_id.trim()) : v.business_id;
      if (typeof picked === 'string') {
        businessId = picked;
      } else if (picked) {
        businessId = picked.id;
        businessName = picked.name;
      } else {
        control.setErrors({ pick: 'Pick a business from the list, or paste its id.' });
        control.markAsTouched();
        return;
      }
    } else {
      const answer = await this.confirm.ask({
        title: 'Export the whole platform?',
        message: `${kindText(v.kind)} of every business and user on Hisaab goes into one file. Keep it safe and delete it when done.`,
        action: 'Start export',
      });
      if (!answer) return;
    }
    this.saving.set(true);
    try {
      const e = await call(
        this.session.api.POST('/v1/admin/exports', {
          params: { header: { 'Idempotency-Key': this.key } },
          body: { kind: v.kind, business_id: businessId },
        }),
      );
      // Queued: another start is another export.
      this.key = newKey();
      if (businessId && businessName) this.remember([{ id: businessId, name: businessName }]);
      this.notice.set({
        text: `Export queued: ${kindText(e.kind)} of ${this.whoseText(e)}. It is written within a minute.`,
      });
      this.exports.update((list) => [e, ...list.filter((x) => x.id !== e.id)]);
      void this.load(true);
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }

  /** A fresh link (`GET /v1/admin/exports/{id}`, audited), then the file saved; the link stays on the page. */
  async download(e: AdminExport): Promise<void> {
    this.downloading.set(e.id);
    try {
      const view = await call(
        this.session.api.GET('/v1/admin/exports/{export_id}', { params: { path: { export_id: e.id } } }),
      );
      const url = view.download_url;
      if (!url) {
        this.notice.set({ text: `This export has no file yet (${this.statusText(view.status).toLowerCase()}).` });
        return;
      }
      const until = view.link_expires_at ? (indianDateTime(view.link_expires_at).split(', ').at(-1) ?? '') : '';
      const name = exportFileName(e.kind, e.business_id ? this.whoseText(e) : 'platform', e.requested_at);
      this.notice.set({ text: `Downloading ${name}.`, url, until });
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(String(response.status));
        saveFile(await response.blob(), name);
        this.notice.set({ text: `${name} is saved.`, url, until });
      } catch {
        // The link's host may not allow reading it from here: let the browser fetch it.
        window.open(url, '_blank', 'noopener');
        this.notice.set({ text: `${name} opened in a new tab.`, url, until });
      }
    } catch (err) {
      this.notice.set({ text: `The download could not start: ${describe(err)}` });
    } finally {
      this.downloading.set(null);
    }
  }

  /** What was typed, as a business: an id as it is, else the one match of that exact name. */
  private pickFromText(text: string): Business | string | null {
    if (!text) return null;
    if (/^biz_/i.test(text)) return text;
    const same = this.matches().filter((b) => b.name.toLowerCase() === text.toLowerCase());
    return same.length === 1 ? same[0] : null;
  }

  private async searchBusinesses(q: string): Promise<void> {
    if (/^biz_/i.test(q)) {
      this.matches.set([]);
      this.searchedFor.set('');
      return;
    }
    const mine = ++this.search;
    try {
      const page = await call(
        this.session.api.GET('/v1/admin/businesses', { params: { query: { q: q || undefined, limit: 8 } } }),
      );
      if (mine !== this.search) return;
      this.matches.set(page.items);
      this.searchedFor.set(q);
      this.remember(page.items);
    } catch {
      if (mine === this.search) this.matches.set([]);
    }
  }

  private remember(businesses: { id: string; name: string }[]): void {
    const missing = businesses.filter((b) => this.names().get(b.id) !== b.name);
    if (!missing.length) return;
    this.names.update((m) => {
      const next = new Map(m);
      for (const b of missing) next.set(b.id, b.name);
      return next;
    });
  }

  /** Names for the listed businesses not known yet: one page of businesses (there is no look-up by id). */
  private async resolveNames(list: AdminExport[]): Promise<void> {
    if (this.triedNames || !list.some((e) => e.business_id && !this.names().has(e.business_id))) return;
    this.triedNames = true;
    try {
      const page = await call(this.session.api.GET('/v1/admin/businesses', { params: { query: { limit: 100 } } }));
      this.remember(page.items);
    } catch {
      // Ids are shown instead.
    }
  }

  private async loadAdmins(): Promise<void> {
    try {
      const admins = await call(this.session.api.GET('/v1/admin/employees'));
      this.admins.set(new Map(admins.map((a) => [a.id, a.name])));
    } catch {
      // Shown without who asked.
    }
  }
}
