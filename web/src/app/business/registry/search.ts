import { Component, effect, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { RegistryNav } from './nav';

type Card = components['schemas']['CompanyCard'];
type Rating = components['schemas']['Rating'];

/** A grade with its score and reasons, as members see it. */
@Component({
  selector: 'app-rating',
  template: `
    @if (grade()) {
    <div class="rating">
      <span class="grade grade-{{ rating().grade }}" [attr.aria-label]="'Grade ' + rating().grade">{{ rating().grade }}</span>
      <span><strong>{{ rating().score }}</strong>/100</span>
    </div>
    }
    @if (reasons()) {
      <ul class="reasons" aria-label="Why this rating">
        @for (r of rating().reasons; track $index) {
          <li [class.minus]="r.points < 0" [class.plus]="r.points > 0">
            <strong>{{ r.points > 0 ? '+' : '' }}{{ r.points }}</strong> {{ r.reason }}
          </li>
        } @empty {
          <li>No default listed: full score.</li>
        }
      </ul>
    }
  `,
  styles: `
    .rating { display: flex; align-items: center; gap: 8px; font-size: 1.05rem; }
    .rating .grade { width: 2em; height: 2em; font-size: 1.05rem; }
    .reasons { margin: 6px 0 0; padding-left: 18px; font-size: 0.92rem; }
    .reasons li { margin-bottom: 2px; }
    .minus strong { color: var(--mat-sys-error, #ba1a1a); }
    .plus strong { color: #0b5a1f; }
  `,
})
export class RatingView {
  readonly rating = input.required<Rating>();
  /** Show the reasons under the grade. */
  readonly reasons = input(true);
  /** Show the grade and score. */
  readonly grade = input(true);
}

/**
 * Registry search (`/business/registry?q=`): companies by name, GSTIN, PAN
 * or phone, each with its rating and reasons, amount due and overdue since.
 */
@Component({
  selector: 'app-registry-search',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, PagedList, RegistryNav, RatingView, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-registry-nav />
      <div class="page-head"><h1>Check a company before giving credit</h1></div>
      <form class="search" (ngSubmit)="search()" role="search">
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="q">
          <mat-label>Name, GSTIN, PAN or phone</mat-label>
          <input matInput name="q" [(ngModel)]="query" autocomplete="off" placeholder="Sharma Kirana, 27AAPFU0939F1ZV, 98765 43210" />
        </mat-form-field>
        <button mat-flat-button type="submit" class="go">Search</button>
      </form>
      @if (!q()) {
        <p class="muted intro">
          Every member of Hisaab can see the defaults other members reported and the reviewers approved: how much a company owes,
          since when, to how many businesses, and its credit rating. A company with no listing is not a guarantee: ask for references too.
        </p>
      } @else {
        <app-paged-list [pager]="pager" [emptyText]="'No company in the registry matches “' + q() + '”. No member has a listed default against it.'">
          <ul class="results" aria-label="Companies found">
            @for (c of pager.items(); track c.id) {
              <li class="result" [attr.aria-label]="c.name">
                <div class="top">
                  <div class="who">
                    <a class="name" [routerLink]="['/business/registry/companies', c.id]">{{ c.name }}</a>
                    <span class="muted">{{ c.city ?? '' }}{{ c.city && c.gstin ? ' · ' : '' }}{{ c.gstin ?? '' }}{{ !c.gstin && c.phone ? c.phone : '' }}</span>
                  </div>
                  <app-rating [rating]="c.rating" [reasons]="false" />
                </div>
                <dl class="facts">
                  <div><dt>Due to members</dt><dd [class.owed]="c.due_paise > 0">{{ c.due_paise | rupees }}</dd></div>
                  <div><dt>Overdue since</dt><dd>{{ c.overdue_since | indianDate }}</dd></div>
                  <div><dt>Creditors reporting</dt><dd>{{ c.reporting_creditors }}</dd></div>
                  <div><dt>Listed reports</dt><dd>{{ c.approved_reports }}</dd></div>
                </dl>
                <details>
                  <summary>Why {{ c.rating.grade }} ({{ c.rating.score }}/100)</summary>
                  <app-rating [rating]="c.rating" [grade]="false" />
                </details>
              </li>
            }
          </ul>
        </app-paged-list>
      }
    </div>
  `,
  styles: `
    .search { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; max-width: 720px; }
    .q { flex: 1 1 260px; }
    .go { min-height: 52px; min-width: 120px; }
    .intro { max-width: 720px; }
    .results { list-style: none; padding: 0; margin: 12px 0 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); }
    .result { border: 1px solid var(--mat-sys-outline-variant, #ddd); border-radius: 12px; padding: 12px 16px; background: var(--mat-sys-surface, #fff); }
    .top { display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; }
    .who { display: flex; flex-direction: column; min-width: 0; }
    .name { font-weight: 500; font-size: 1.1rem; overflow-wrap: anywhere; }
    .facts { display: grid; grid-template-columns: repeat(2, 1fr); gap: 8px 16px; margin: 12px 0 4px; }
    .facts dt { color: var(--mat-sys-on-surface-variant); font-size: 0.85rem; }
    .facts dd { margin: 0; font-weight: 500; }
    .facts dd.owed { color: var(--mat-sys-error, #ba1a1a); }
    details summary { cursor: pointer; padding: 8px 0; color: var(--mat-sys-primary); }
    @media (max-width: 600px) { .results { grid-template-columns: 1fr; } }
  `,
})
export class RegistrySearch {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly q = input<string>();
  query = '';

  readonly pager = new Pager<Card>((cursor) => {
    const q = this.q()?.trim();
    if (!q) return Promise.resolve({ items: [] });
    return call(this.session.api.GET('/v1/registry/companies', { params: { query: { q, cursor, limit: 20 } } }));
  });

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
