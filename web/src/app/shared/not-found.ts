import { Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  template: `
    <main class="page">
      <h1>Page not found</h1>
      <p>There is no page at this address. <a routerLink="/">Go to your home page</a>.</p>
    </main>
  `,
})
export class NotFound {}
