import { Component } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';

/** The registry area's own tabs: search, report a default, my reports. */
@Component({
  selector: 'app-registry-nav',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <nav class="tabs" aria-label="Registry">
      <a routerLink="/business/registry" routerLinkActive="on" [routerLinkActiveOptions]="{ exact: true }" ariaCurrentWhenActive="page">Search</a>
      <a routerLink="/business/registry/report" routerLinkActive="on" ariaCurrentWhenActive="page">Report a default</a>
      <a routerLink="/business/registry/reports" routerLinkActive="on" ariaCurrentWhenActive="page">My reports</a>
    </nav>
  `,
  styles: `
    .tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc); margin: -4px 0 12px; overflow-x: auto; }
    a {
      padding: 12px 14px; text-decoration: none; color: var(--mat-sys-on-surface-variant); white-space: nowrap;
      border-bottom: 3px solid transparent; min-height: 24px;
    }
    a.on { color: var(--mat-sys-primary); border-bottom-color: var(--mat-sys-primary); font-weight: 500; }
    a:focus-visible { outline: 2px solid var(--mat-sys-primary); outline-offset: -2px; }
    @media (max-width: 400px) { a { padding: 12px 9px; } }
  `,
})
export class RegistryNav {}
