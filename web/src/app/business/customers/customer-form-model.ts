import { AbstractControl, FormArray, FormControl, FormGroup, Validators } from '@angular/forms';
import type { components } from '../../api/schema';
import { ApiProblem, call } from '../../core/problem';
import type { Session } from '../../core/session';

type Customer = components['schemas']['Customer'];
type NewCustomer = components['schemas']['NewCustomer'];
type CustomerPatch = components['schemas']['CustomerPatch'];
type Contact = components['schemas']['Contact'];

/** The fields the API checks by its own rules as the user types (phone, email, GSTIN, PAN). */
export const CHECKED_FIELDS = ['phone', 'email', 'gstin', 'pan'] as const;
export type CheckedField = (typeof CHECKED_FIELDS)[number];

export function contactGroup(c?: Contact) {
  return new FormGroup({
    name: new FormControl(c?.name ?? '', { nonNullable: true, validators: [Validators.required] }),
    phone: new FormControl(c?.phone ?? '', { nonNullable: true }),
    role: new FormControl(c?.role ?? '', { nonNullable: true }),
  });
}
export type ContactGroup = ReturnType<typeof contactGroup>;

/** The customer form's controls. Only "name is required" is checked here; the API checks the rest. */
export function customerForm() {
  return new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    phone: new FormControl('', { nonNullable: true }),
    email: new FormControl('', { nonNullable: true }),
    business_type: new FormControl('', { nonNullable: true }),
    gstin: new FormControl('', { nonNullable: true }),
    pan: new FormControl('', { nonNullable: true }),
    address: new FormControl('', { nonNullable: true }),
    notes: new FormControl('', { nonNullable: true }),
    contacts: new FormArray<ContactGroup>([]),
  });
}
export type CustomerForm = ReturnType<typeof customerForm>;
export type CustomerValues = ReturnType<CustomerForm['getRawValue']>;

/** Fills the form with a customer being edited. */
export function fillForm(form: CustomerForm, c: Customer): void {
  form.controls.contacts.clear();
  for (const contact of c.contacts ?? []) form.controls.contacts.push(contactGroup(contact));
  form.patchValue(
    {
      name: c.name,
      phone: c.phone ?? '',
      email: c.email ?? '',
      business_type: c.business_type ?? '',
      gstin: c.gstin ?? '',
      pan: c.pan ?? '',
      address: c.address ?? '',
      notes: c.notes ?? '',
    },
    { emitEvent: false },
  );
}

const text = (v: string) => v.trim() || null;

function contacts(v: CustomerValues): Contact[] {
  return v.contacts
    .filter((c) => c.name.trim() || c.phone.trim() || c.role.trim())
    .map((c) => ({ name: c.name.trim(), phone: text(c.phone), role: text(c.role) }));
}

/** `POST /v1/customers`: empty optional fields are left out. */
export function newCustomerBody(v: CustomerValues): NewCustomer {
  const body: NewCustomer = { name: v.name.trim() };
  for (const key of [
    'phone',
    'email',
    'business_type',
    'gstin',
    'pan',
    'address',
    'notes',
  ] as const) {
    const value = text(v[key]);
    if (value) body[key] = value;
  }
  const people = contacts(v);
  if (people.length) body.contacts = people;
  return body;
}

/** `PATCH /v1/customers/{id}`: every field sent, `null` clears one; the version guards against lost updates. */
export function patchBody(v: CustomerValues, version: number): CustomerPatch {
  return {
    name: v.name.trim(),
    phone: text(v.phone),
    email: text(v.email),
    business_type: text(v.business_type),
    gstin: text(v.gstin),
    pan: text(v.pan),
    address: text(v.address),
    notes: text(v.notes),
    contacts: contacts(v),
    version,
  };
}

/**
 * The API names a contact's fields `contacts[0].phone`; the form's path is
 * `contacts.0.phone`. The same problem with the form's names, so
 * `applyFieldErrors` / `formMessage` find the controls.
 */
export function formPaths(e: unknown): unknown {
  if (!(e instanceof ApiProblem) || !e.problem?.errors?.length) return e;
  const errors = e.problem.errors.map((f) => ({
    ...f,
    field: f.field.replace(/\[(\d+)\]/g, '.$1'),
  }));
  return new ApiProblem(e.status, { ...e.problem, errors });
}

/** Sets or clears the API's message on a control, keeping its other errors. */
export function setApiError(control: AbstractControl, message: string | null): void {
  const { api: _old, ...rest } = control.errors ?? {};
  void _old;
  if (message) {
    control.setErrors({ ...rest, api: message });
    control.markAsTouched();
  } else {
    control.setErrors(Object.keys(rest).length ? rest : null);
  }
}

/**
 * What the API says of the phone, email, GSTIN and PAN typed so far, by
 * its own rules (checksums, the PAN inside the GSTIN, phone formats):
 * `POST /v1/customers?dry_run=true` checks a body as a create would and
 * writes nothing — `204` when valid, else a 422 naming every bad field.
 * Returns each checked field's message, or null when it is fine (empty
 * fields are fine).
 */
export async function checkFields(
  session: Session,
  v: Pick<CustomerValues, CheckedField>,
): Promise<Record<CheckedField, string | null>> {
  const result: Record<CheckedField, string | null> = {
    phone: null,
    email: null,
    gstin: null,
    pan: null,
  };
  const body: NewCustomer = { name: '' };
  let any = false;
  for (const key of CHECKED_FIELDS) {
    const value = text(v[key]);
    if (value) {
      body[key] = value;
      any = true;
    }
  }
  if (!any) return result;
  try {
    await call(session.api.POST('/v1/customers', { params: { query: { dry_run: true } }, body }));
  } catch (e) {
    if (!(e instanceof ApiProblem) || e.status !== 422) throw e;
    for (const f of e.problem?.errors ?? []) {
      if ((CHECKED_FIELDS as readonly string[]).includes(f.field))
        result[f.field as CheckedField] ??= f.detail;
    }
  }
  return result;
}
