import { Component, inject, output, signal } from '@angular/core';
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
import type { Product } from './billing';
import { bpToPercent } from './compute';

/**
 * A search of the catalogue's active products (`GET /v1/products?q=`,
 * a name prefix); picking one emits it and empties the field for the next.
 */
@Component({
  selector: 'app-product-picker',
  imports: [
    FormsModule,
    MatAutocompleteModule,
    MatFormFieldModule,
    MatInputModule,
    ...FORMAT_PIPES,
  ],
  template: `
    <mat-form-field appearance="outline" subscriptSizing="dynamic" class="field">
      <mat-label>Add from catalogue</mat-label>
      <input
        matInput
        [ngModel]="text()"
        (ngModelChange)="typed($event)"
        (focus)="typed(text())"
        [matAutocomplete]="auto"
        autocomplete="off"
        placeholder="Type a product name"
      />
      <mat-autocomplete
        #auto="matAutocomplete"
        (optionSelected)="picked($event)"
        [displayWith]="blank"
      >
        @for (p of matches(); track p.id) {
          <mat-option [value]="p">
            {{ p.name }}
            <span class="muted small"
              >{{ p.unit_price | rupees }} / {{ p.unit }} · GST {{ percent(p.tax_rate_bp) }} %</span
            >
          </mat-option>
        }
        @if (searched() && !matches().length) {
          <mat-option disabled>No active product matches.</mat-option>
        }
      </mat-autocomplete>
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
export class ProductPicker {
  private readonly session = inject(Session);
  readonly chosen = output<Product>();
  readonly text = signal('');
  readonly matches = signal<Product[]>([]);
  readonly searched = signal(false);
  readonly percent = bpToPercent;
  readonly blank = (v: Product | string | null): string => (typeof v === 'string' ? v : '');
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  typed(value: string | Product): void {
    if (typeof value !== 'string') return;
    this.text.set(value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(value.trim()), 150);
  }

  picked(event: MatAutocompleteSelectedEvent): void {
    this.chosen.emit(event.option.value as Product);
    this.text.set('');
    event.option.deselect();
  }

  private async search(q: string): Promise<void> {
    const mine = ++this.generation;
    try {
      const page = await call(
        this.session.api.GET('/v1/products', {
          params: { query: { q: q || undefined, active: true, limit: 8 } },
        }),
      );
      if (mine !== this.generation) return;
      this.matches.set(page.items);
      this.searched.set(true);
    } catch {
      if (mine === this.generation) this.matches.set([]);
    }
  }
}
