import { Component, inject, input } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { AuditTrail } from './audit-trail';

/** The audit log, filtered by target or actor (from the query string). */
@Component({
  selector: 'app-audit',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, AuditTrail],
  template: `
    <div class="page">
      <div class="page-head"><h1>Audit log</h1></div>
      <form class="filters" [formGroup]="form" (ngSubmit)="apply()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Target id</mat-label>
          <input matInput formControlName="target_id" placeholder="rpt_…, biz_…, usr_…" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Actor id</mat-label>
          <input matInput formControlName="actor_id" placeholder="usr_…" />
        </mat-form-field>
        <button mat-stroked-button type="submit">Filter</button>
      </form>
      <p class="muted">Without a filter: every entry, newest first.</p>
      <app-audit-trail [targetId]="target_id() ?? null" [actorId]="actor_id() ?? null" />
    </div>
  `,
})
export class Audit {
  private readonly router = inject(Router);
  readonly target_id = input<string>();
  readonly actor_id = input<string>();
  readonly form = new FormGroup({
    target_id: new FormControl('', { nonNullable: true }),
    actor_id: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    queueMicrotask(() => this.form.setValue({ target_id: this.target_id() ?? '', actor_id: this.actor_id() ?? '' }));
  }

  apply(): void {
    const { target_id, actor_id } = this.form.getRawValue();
    void this.router.navigate([], {
      queryParams: { target_id: target_id.trim() || null, actor_id: actor_id.trim() || null },
    });
  }
}
