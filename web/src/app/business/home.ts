import { LowerCasePipe } from '@angular/common';
import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Session } from '../core/session';

/**
 * The business area's home. Its screens (billing, customers, deliveries,
 * the registry for members) are the next part of the web app; until then
 * it says so and points to the API.
 */
@Component({
  selector: 'app-business-home',
  imports: [LowerCasePipe, MatButtonModule, MatToolbarModule, ...FORMAT_PIPES],
  template: `
    <mat-toolbar color="primary">
      <span>Hisaab</span>
      <span class="spacer"></span>
      <button mat-button type="button" (click)="session.signOut()">Sign out</button>
    </mat-toolbar>
    <main class="page">
      <h1>Welcome, {{ session.user()?.name }}</h1>
      <p>You are signed in as {{ session.user()?.role | label | lowercase }} ({{ session.user()?.phone | phone }}).</p>
      <p>
        The screens for businesses — invoices, customers, daily deliveries and the registry — are not in the web app yet.
        The mobile apps and the API (<a href="/v1/openapi.json">its description</a>) do all of it today.
      </p>
    </main>
  `,
  styles: `.spacer { flex: 1; }`,
})
export class BusinessHome {
  readonly session = inject(Session);
}
