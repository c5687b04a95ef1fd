import { Component, effect, inject, input } from '@angular/core';
import type { components } from '../api/schema';
import { Change, diff } from '../core/diff';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { call } from '../core/problem';
import { Session } from '../core/session';
import { PagedList } from '../shared/list-state';

type Entry = components['schemas']['AuditEntry'];

/**
 * Audit entries (`GET /v1/admin/audit`) of one target or one actor, newest
 * first, each with what it changed as a field-by-field diff.
 */
@Component({
  selector: 'app-audit-trail',
  imports: [PagedList, ...FORMAT_PIPES],
  template: `
    <app-paged-list [pager]="pager" emptyText="No audit entries.">
      <ol class="entries" aria-label="Audit entries">
        @for (e of pager.items(); track e.id) {
          <li class="entry">
            <div>
              <strong>{{ e.action | label }}</strong>
              <span class="muted"> · {{ e.target_type | label }} {{ e.target_id }}</span>
            </div>
            <div class="muted">{{ e.at | indianDateTime }} · by {{ e.actor_role | label }} {{ e.actor_id }}</div>
            @if (e.note) {
              <div>“{{ e.note }}”</div>
            }
            @if (changes(e); as list) {
              @if (list.length) {
                <table class="diff">
                  <caption class="sr-only">What changed</caption>
                  <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
                  <tbody>
                    @for (c of list; track c.field) {
                      <tr><th scope="row">{{ c.field }}</th><td class="before">{{ c.before }}</td><td class="after">{{ c.after }}</td></tr>
                    }
                  </tbody>
                </table>
              }
            }
          </li>
        }
      </ol>
    </app-paged-list>
  `,
  styles: `
    .entries { list-style: none; padding: 0; margin: 0; }
    .entry { padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .diff { border-collapse: collapse; margin-top: 4px; font-size: 0.9rem; max-width: 100%; display: block; overflow-x: auto; }
    .diff th, .diff td { text-align: left; padding: 2px 8px; vertical-align: top; overflow-wrap: anywhere; }
    .diff thead th { white-space: nowrap; }
    .before { color: #8c1d18; text-decoration: line-through; }
    .after { color: #0b5a1f; }
  `,
})
export class AuditTrail {
  private readonly session = inject(Session);
  readonly targetId = input<string | null>(null);
  readonly actorId = input<string | null>(null);
  /** Bump to load again (after an action). */
  readonly reload = input(0);

  readonly pager = new Pager<Entry>((cursor) =>
    call(
      this.session.api.GET('/v1/admin/audit', {
        params: {
          query: {
            target_id: this.targetId() || undefined,
            actor_id: this.actorId() || undefined,
            cursor,
            limit: 20,
          },
        },
      }),
    ),
  );

  private readonly cache = new WeakMap<Entry, Change[]>();

  constructor() {
    effect(() => {
      this.targetId();
      this.actorId();
      this.reload();
      void this.pager.reload();
    });
  }

  changes(entry: Entry): Change[] {
    let list = this.cache.get(entry);
    if (!list) {
      list = diff(entry.before, entry.after);
      this.cache.set(entry, list);
    }
    return list;
  }
}
