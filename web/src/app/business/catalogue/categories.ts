import { Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { ApiProblem, call, describe, formMessage, refused } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import { allCategories } from './products';

type Category = components['schemas']['Category'];

/** Product categories (`/v1/categories`): add, rename, delete one no product uses. */
@Component({
  selector: 'app-categories',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    ListState,
  ],
  template: `
    <div class="page">
      <p><a routerLink="/business/products">‹ Products</a></p>
      <div class="page-head"><h1>Categories</h1></div>

      <mat-card appearance="outlined" class="add">
        <form [formGroup]="form" (ngSubmit)="add()" novalidate class="row">
          <mat-form-field appearance="outline">
            <mat-label>New category</mat-label>
            <input matInput formControlName="name" maxlength="60" required />
            <mat-error>{{ form.controls.name.getError('api') ?? 'A name is required.' }}</mat-error>
          </mat-form-field>
          <button mat-flat-button type="submit" [disabled]="saving()">Add category</button>
        </form>
        @if (formError(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
      </mat-card>
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }

      <app-list-state
        [loading]="loading()"
        [error]="error()"
        [empty]="!items().length"
        emptyText="No categories yet."
        (retry)="load()"
      >
        <div class="table-wrap">
          <table mat-table [dataSource]="items()" aria-label="Categories">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let c">
                @if (renaming() === c.id) {
                  <form [formGroup]="renameForm" (ngSubmit)="rename(c)" novalidate class="row">
                    <mat-form-field appearance="outline" subscriptSizing="dynamic">
                      <mat-label>Name of {{ c.name }}</mat-label>
                      <input matInput formControlName="name" maxlength="60" required [id]="'rename-' + c.id" />
                      <mat-error>{{ renameForm.controls.name.getError('api') ?? 'A name is required.' }}</mat-error>
                    </mat-form-field>
                    <button mat-flat-button type="submit" [disabled]="saving()">Save</button>
                    <button mat-button type="button" (click)="renaming.set(null)">Cancel</button>
                  </form>
                } @else {
                  <a routerLink="/business/products" [queryParams]="{ category: c.id, active: 'all' }">{{ c.name }}</a>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="count">
              <th mat-header-cell *matHeaderCellDef class="num">Products</th>
              <td mat-cell *matCellDef="let c" class="num">{{ c.product_count }}</td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let c">
                @if (renaming() !== c.id) {
                  <div class="actions">
                    <button mat-button type="button" (click)="startRename(c)" [attr.aria-label]="'Rename ' + c.name">
                      Rename
                    </button>
                    <button mat-button type="button" (click)="remove(c)" [attr.aria-label]="'Delete ' + c.name">
                      Delete
                    </button>
                  </div>
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let c; columns: columns"></tr>
          </table>
        </div>
      </app-list-state>
    </div>
  `,
  styles: `
    .add {
      padding: 12px 16px 0;
      margin-bottom: 12px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
      align-items: baseline;
    }
    table.mat-mdc-table {
      min-width: 420px;
      width: 100%;
    }
  `,
})
export class Categories {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  readonly columns = ['name', 'count', 'actions'];
  readonly items = signal<Category[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly renaming = signal<string | null>(null);
  readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  readonly renameForm = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  private key = newKey();

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.items.set(await allCategories(this.session));
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async add(): Promise<void> {
    this.form.markAllAsTouched();
    this.formError.set(null);
    if (this.form.invalid) return;
    this.saving.set(true);
    try {
      const c = await call(
        this.session.api.POST('/v1/categories', {
          params: { header: { 'Idempotency-Key': this.key } },
          body: { name: this.form.getRawValue().name.trim() },
        }),
      );
      this.key = newKey();
      this.notice.set(`${c.name} was added.`);
      this.form.reset();
      await this.load();
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.key = newKey();
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }

  startRename(c: Category): void {
    this.renameForm.reset({ name: c.name });
    this.renaming.set(c.id);
    setTimeout(() => document.getElementById(`rename-${c.id}`)?.focus());
  }

  async rename(c: Category): Promise<void> {
    this.renameForm.markAllAsTouched();
    if (this.renameForm.invalid) return;
    this.saving.set(true);
    try {
      const saved = await call(
        this.session.api.PATCH('/v1/categories/{category_id}', {
          params: { path: { category_id: c.id } },
          body: { name: this.renameForm.getRawValue().name.trim() },
        }),
      );
      this.notice.set(`${c.name} is now ${saved.name}.`);
      this.renaming.set(null);
      await this.load();
    } catch (e) {
      const m = formMessage(this.renameForm, e);
      if (!this.renameForm.controls.name.hasError('api')) this.notice.set(m);
    } finally {
      this.saving.set(false);
    }
  }

  async remove(c: Category): Promise<void> {
    const answer = await this.confirm.ask({
      title: `Delete ${c.name}?`,
      message: c.product_count
        ? `${c.product_count} product(s) are in it: move them to another category first.`
        : 'The category is removed. No product uses it.',
      action: 'Delete',
      destructive: true,
    });
    if (!answer) return;
    try {
      await call(this.session.api.DELETE('/v1/categories/{category_id}', { params: { path: { category_id: c.id } } }));
      this.notice.set(`${c.name} was deleted.`);
      await this.load();
    } catch (e) {
      // A 409 here is not a concurrent change: the category still has products.
      this.notice.set(
        e instanceof ApiProblem && e.status === 409 && e.problem?.detail
          ? `Not deleted: ${e.problem.detail}.`
          : describe(e),
      );
    }
  }
}
