import { signal } from '@angular/core';
import { describe } from './problem';

/** A page of a list route: `items` and the `next_cursor` to pass on. */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/**
 * A cursor-paged list: the current page's items with loading and error
 * states, and next/previous pages (the cursors of pages seen are kept, as
 * the API only gives the next one).
 */
export class Pager<T> {
  readonly items = signal<T[]>([]);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  /** 0-based number of the page shown. */
  readonly page = signal(0);
  readonly hasNext = signal(false);
  private cursors: (string | undefined)[] = [undefined];
  private next: string | undefined;
  private generation = 0;

  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {}

  /** Back to the first page (after a filter change or an action). */
  reload(): Promise<void> {
    this.cursors = [undefined];
    this.page.set(0);
    return this.load();
  }

  /** Loads the page shown again, keeping the position. */
  refresh(): Promise<void> {
    return this.load();
  }

  nextPage(): Promise<void> {
    if (!this.next) return Promise.resolve();
    this.cursors[this.page() + 1] = this.next;
    this.page.update((p) => p + 1);
    return this.load();
  }

  previousPage(): Promise<void> {
    if (this.page() === 0) return Promise.resolve();
    this.page.update((p) => p - 1);
    return this.load();
  }

  private async load(): Promise<void> {
    const mine = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.fetchPage(this.cursors[this.page()]);
      if (mine !== this.generation) return; // a newer load superseded this one
      this.items.set(page.items);
      this.next = page.next_cursor ?? undefined;
      this.hasNext.set(!!this.next);
    } catch (e) {
      if (mine !== this.generation) return;
      this.items.set([]);
      this.hasNext.set(false);
      this.error.set(describe(e));
    } finally {
      if (mine === this.generation) this.loading.set(false);
    }
  }
}
