import { Component, Signal, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';

/**
 * The loading, error and empty states of a list or page: a progress bar
 * while loading, the error with a retry button, or the empty message.
 * The content is shown otherwise.
 */
@Component({
  selector: 'app-list-state',
  imports: [MatButtonModule, MatProgressBarModule],
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading" />
    }
    @if (error(); as message) {
      <div class="state error" role="alert">
        <p>{{ message }}</p>
        <button mat-stroked-button type="button" (click)="retry.emit()">Try again</button>
      </div>
    } @else if (!loading() && empty()) {
      <p class="state empty">{{ emptyText() }}</p>
    } @else {
      <ng-content />
    }
  `,
  styles: `
    .state { padding: 24px 8px; text-align: center; color: var(--mat-sys-on-surface-variant); }
    .error { color: var(--mat-sys-error); }
  `,
})
export class ListState {
  readonly loading = input(false);
  readonly error = input<string | null>(null);
  readonly empty = input(false);
  readonly emptyText = input('Nothing here yet.');
  readonly retry = output<void>();
}

/** Previous / next page buttons for a cursor-paged list. */
@Component({
  selector: 'app-pager-controls',
  imports: [MatButtonModule],
  template: `
    <nav class="pager" aria-label="Pages">
      <button mat-button type="button" [disabled]="page() === 0 || loading()" (click)="previous.emit()">
        ‹ Previous
      </button>
      <span>Page {{ page() + 1 }}</span>
      <button mat-button type="button" [disabled]="!hasNext() || loading()" (click)="next.emit()">Next ›</button>
    </nav>
  `,
  styles: `
    .pager { display: flex; align-items: center; justify-content: flex-end; gap: 8px; padding: 8px 0; }
  `,
})
export class PagerControls {
  readonly page = input(0);
  readonly hasNext = input(false);
  readonly loading = input(false);
  readonly previous = output<void>();
  readonly next = output<void>();
}

/** What a paged list shows of a [`Pager`](../core/pager.ts). */
export interface PageView {
  readonly items: Signal<readonly unknown[]>;
  readonly loading: Signal<boolean>;
  readonly error: Signal<string | null>;
  readonly page: Signal<number>;
  readonly hasNext: Signal<boolean>;
  refresh(): Promise<void>;
  nextPage(): Promise<void>;
  previousPage(): Promise<void>;
}

/**
 * A cursor-paged list with its states and page buttons:
 * `<app-paged-list [pager]="pager" emptyText="…">rows</app-paged-list>`.
 */
@Component({
  selector: 'app-paged-list',
  imports: [ListState, PagerControls],
  template: `
    <app-list-state
      [loading]="pager().loading()"
      [error]="pager().error()"
      [empty]="pager().items().length === 0"
      [emptyText]="emptyText()"
      (retry)="pager().refresh()"
    >
      <ng-content />
    </app-list-state>
    <app-pager-controls
      [page]="pager().page()"
      [hasNext]="pager().hasNext()"
      [loading]="pager().loading()"
      (previous)="pager().previousPage()"
      (next)="pager().nextPage()"
    />
  `,
})
export class PagedList {
  readonly pager = input.required<PageView>();
  readonly emptyText = input('Nothing here yet.');
}
