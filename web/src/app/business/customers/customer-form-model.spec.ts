import { describe, expect, it, vi } from 'vitest';
import { ApiProblem, applyFieldErrors } from '../../core/problem';
import type { Session } from '../../core/session';
import {
  checkFields,
  contactGroup,
  customerForm,
  formPaths,
  newCustomerBody,
  patchBody,
  setApiError,
} from './customer-form-model';
import { statusParam } from './customers';
import { isMonth, monthName } from '../../core/dates';
import { balanceText } from './customer-view';

function filled() {
  const form = customerForm();
  form.patchValue({
    name: '  Gupta Kirana ',
    phone: '9822001122',
    gstin: '27AAPFU0939F1ZV',
    notes: '',
  });
  form.controls.contacts.push(contactGroup({ name: 'Mohan', phone: '', role: 'owner' }));
  form.controls.contacts.push(contactGroup()); // an empty row is left out
  return form;
}

describe('customer bodies', () => {
  it('leaves empty optional fields out of a new customer', () => {
    expect(newCustomerBody(filled().getRawValue())).toEqual({
      name: 'Gupta Kirana',
      phone: '9822001122',
      gstin: '27AAPFU0939F1ZV',
      contacts: [{ name: 'Mohan', phone: null, role: 'owner' }],
    });
  });
  it('clears emptied fields with null in a patch, with the version read', () => {
    const body = patchBody(filled().getRawValue(), 3);
    expect(body).toMatchObject({
      name: 'Gupta Kirana',
      email: null,
      pan: null,
      notes: null,
      version: 3,
    });
    expect(body.contacts).toHaveLength(1);
  });
});

describe('API field errors', () => {
  it('finds contact fields by the form path', () => {
    const form = filled();
    const e = new ApiProblem(422, {
      type: 'x',
      title: 'Invalid input',
      status: 422,
      detail: 'invalid contacts[0].phone',
      errors: [{ field: 'contacts[0].phone', code: 'invalid_phone', detail: 'bad phone' }],
    });
    expect(applyFieldErrors(form, formPaths(e))).toEqual([]);
    expect(form.controls.contacts.at(0).controls.phone.getError('api')).toBe('bad phone');
  });
  it('sets and clears the API message without losing other errors', () => {
    const form = customerForm();
    const name = form.controls.name; // empty: required
    setApiError(name, 'too long');
    expect(name.errors).toEqual({ required: true, api: 'too long' });
    setApiError(name, null);
    expect(name.errors).toEqual({ required: true });
    const phone = form.controls.phone;
    setApiError(phone, 'bad');
    setApiError(phone, null);
    expect(phone.errors).toBeNull();
  });
});

describe('checkFields', () => {
  function sessionAnswering(response: Response) {
    const POST = vi.fn(async () => ({
      error: await response
        .clone()
        .json()
        .catch(() => undefined),
      response,
    }));
    return { session: { api: { POST } } as unknown as Session, POST };
  }

  it('asks the API for a dry run and keeps the checked fields', async () => {
    const { session, POST } = sessionAnswering(
      Response.json(
        {
          type: 'x',
          title: 'Invalid input',
          status: 422,
          errors: [
            { field: 'name', code: 'required', detail: 'must not be empty' },
            {
              field: 'gstin',
              code: 'invalid_gstin',
              detail: 'the check character does not match: the GSTIN has a typo',
            },
          ],
        },
        { status: 422 },
      ),
    );
    const result = await checkFields(session, {
      phone: '9822001122',
      email: '',
      gstin: '27AAPFU0939F1ZX',
      pan: '',
    });
    expect(POST).toHaveBeenCalledWith('/v1/customers', {
      params: { query: { dry_run: true } },
      body: { name: '', phone: '9822001122', gstin: '27AAPFU0939F1ZX' },
    });
    expect(result).toEqual({
      phone: null,
      email: null,
      gstin: 'the check character does not match: the GSTIN has a typo',
      pan: null,
    });
  });

  it('does not call the API when nothing is filled in', async () => {
    const { session, POST } = sessionAnswering(new Response(null, { status: 500 }));
    expect(await checkFields(session, { phone: ' ', email: '', gstin: '', pan: '' })).toEqual({
      phone: null,
      email: null,
      gstin: null,
      pan: null,
    });
    expect(POST).not.toHaveBeenCalled();
  });

  it('lets other failures through (the form does not pretend the fields are fine)', async () => {
    const { session } = sessionAnswering(new Response('oops', { status: 503 }));
    await expect(
      checkFields(session, { phone: '1', email: '', gstin: '', pan: '' }),
    ).rejects.toBeInstanceOf(ApiProblem);
  });
});

describe('customer list and page', () => {
  it('shows active customers unless asked otherwise', () => {
    expect(statusParam(undefined)).toBe('active');
    expect(statusParam('inactive')).toBe('inactive');
    expect(statusParam('all')).toBeUndefined();
  });
  it('says who owes whom', () => {
    expect(balanceText(1234500)).toEqual({ amount: '₹12,345.00', text: 'owes you' });
    expect(balanceText(-50000).text).toContain('advance');
    expect(balanceText(0).text).toBe('nothing owed either way');
  });
  it('reads months', () => {
    expect(isMonth('2026-11')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(monthName('2026-02')).toBe('February 2026');
  });
});
