import { Component, input } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

/** The controls of a new person: name and phone required, email optional. */
export interface PersonControls {
  name: FormControl<string>;
  phone: FormControl<string>;
  email: FormControl<string>;
}

/** Fresh controls for [`PersonFields`], to spread into a form's group. */
export function personControls(): PersonControls {
  return {
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    phone: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    email: new FormControl('', { nonNullable: true }),
  };
}

/**
 * Name, mobile number and optional email of a person being added (a user,
 * an admin), with the API's field errors (`api`) shown under each field.
 */
@Component({
  selector: 'app-person-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field appearance="outline">
      <mat-label>Name</mat-label>
      <input matInput [formControl]="group().controls.name" required maxlength="100" />
      <mat-error>{{ group().controls.name.getError('api') ?? 'A name is required.' }}</mat-error>
    </mat-form-field>
    <mat-form-field appearance="outline">
      <mat-label>Mobile number</mat-label>
      <input matInput [formControl]="group().controls.phone" type="tel" required />
      <mat-error>{{ group().controls.phone.getError('api') ?? 'A phone number is required.' }}</mat-error>
    </mat-form-field>
    <mat-form-field appearance="outline">
      <mat-label>Email (optional)</mat-label>
      <input matInput [formControl]="group().controls.email" type="email" />
      <mat-error>{{ group().controls.email.getError('api') }}</mat-error>
    </mat-form-field>
  `,
  styles: `:host { display: contents; }`,
})
export class PersonFields {
  /** The form holding the controls (any form whose controls include these). */
  readonly group = input.required<{ controls: PersonControls }>();
}
