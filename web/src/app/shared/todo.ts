import { Component } from '@angular/core';

/** A section whose screens are being built (scaffolding only; removed when each area lands). */
@Component({
  selector: 'app-todo',
  template: `<div class="page"><h1>Coming soon</h1></div>`,
})
export class Todo {}
