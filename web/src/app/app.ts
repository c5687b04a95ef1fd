import { Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

/** The root: every area is a route. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
})
export class App {}
