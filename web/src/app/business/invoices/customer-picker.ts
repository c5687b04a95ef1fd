import { Component, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import {
  MatAutocompleteModule,
  MatAutocompleteSelectedEvent,
} from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import type { Customer } from './billing';

/**
 * A search field for one of the business's active customers
 * (`GET /v1/customers?q=`, a name prefix or phone digits): the matches
 * show as you type, with what each owes.
 */
@Component({
  selector: 'app-customer-picker',
  imports: [
    FormsModule,
    MatAutocompleteModule,
    MatFormFieldModule,
    MatInputModule,
    ...FORMAT_PIPES,
  ],
  template: `
    <mat-form-field
      appearance="outline"
      [subscriptSizing]="dense() ? 'dynamic' : 'fixed'"
      class="field"
    >
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        [ngModel]="text()"
        (ngModelChange)="typed($event)"
        [matAutocomplete]="auto"
        [required]="required()"
        autocomplete="off"
        [attr.aria-invalid]="!!error()"
      />
      <mat-autocomplete
        #auto="matAutocomplete"
        (optionSelected)="picked($event)"
        [displayWith]="nameOf"
      >
        @for (c of matches(); track c.id) {
          <mat-option [value]="c">
            <span>{{ c.name }}</span>
            <span class="muted small">
              {{ c.phone ? (c.phone | phone) + ' · ' : ''
              }}{{
                c.balance > 0
                  ? 'owes ' + (c.balance | rupees)
                  : c.balance < 0
                    ? 'advance ' + (-c.balance | rupees)
                    : 'nothing due'
              }}
            </span>
          </mat-option>
        }
        @if (searched() && !matches().length) {
          <mat-option disabled>No customer matches “{{ text() }}”.</mat-option>
        }
      </mat-autocomplete>
      <mat-hint>{{ hint() }}</mat-hint>
      @if (error(); as e) {
        <mat-error>{{ e }}</mat-error>
      }
    </mat-form-field>
  `,
  styles: `
    .field {
      width: 100%;
    }
    .small {
      font-size: 0.8rem;
      margin-left: 8px;
    }
  `,
})
export class CustomerPicker {
  private readonly session = inject(Session);
  readonly label = input('Customer');
  readonly hint = input('Type a name or phone number');
  readonly required = input(false);
  readonly dense = input(false);
  readonly error = input<string | null>(null);
  /** The customer chosen (its name is shown). */
  readonly value = input<Customer | null>(null);
  readonly chosen = output<Customer | null>();

  readonly text = signal('');
  readonly matches = signal<Customer[]>([]);
  readonly searched = signal(false);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor() {
    // Show the chosen customer's name when the choice changes from outside
    // (a draft loaded, `?customer_id=`, the form reset) — but never clear
    // what the user has typed before any choice exists: the first run of
    // this effect can come after a fast typist's first keys.
    let shown: string | null | undefined;
    effect(() => {
      const id = this.value()?.id ?? null;
      if (id === shown || (shown === undefined && id === null)) {
        shown = id;
        return;
      }
      shown = id;
      this.text.set(this.value()?.name ?? '');
    });
  }

  readonly nameOf = (c: Customer | string | null): string =>
    typeof c === 'string' ? c : (c?.name ?? '');

  typed(value: string | Customer): void {
    if (typeof value !== 'string') return;
    this.text.set(value);
    if (!value.trim() && this.value()) this.chosen.emit(null);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(value.trim()), 200);
  }

  picked(event: MatAutocompleteSelectedEvent): void {
    const c = event.option.value as Customer;
    this.text.set(c.name);
    this.chosen.emit(c);
  }

  private async search(q: string): Promise<void> {
    const mine = ++this.generation;
    try {
      const page = await call(
        this.session.api.GET('/v1/customers', {
          params: { query: { q: q || undefined, status: 'active', limit: 8 } },
        }),
      );
      if (mine !== this.generation) return;
      this.matches.set(page.items);
      this.searched.set(!!q);
    } catch {
      if (mine === this.generation) this.matches.set([]);
    }
  }
}
