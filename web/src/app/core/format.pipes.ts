import { Pipe, PipeTransform } from '@angular/core';
import { indianDate, indianDateTime, label, phone, rupees } from './format';

/** `{{ amount_paise | rupees }}` → `₹12,34,567.00`. */
@Pipe({ name: 'rupees' })
export class RupeesPipe implements PipeTransform {
  transform(paise: number | null | undefined): string {
    return rupees(paise);
  }
}

/** `{{ date | indianDate }}` → `30 Nov 2026`. */
@Pipe({ name: 'indianDate' })
export class IndianDatePipe implements PipeTransform {
  transform(value: string | null | undefined): string {
    return indianDate(value);
  }
}

/** `{{ at | indianDateTime }}` → `30 Nov 2026, 18:45`. */
@Pipe({ name: 'indianDateTime' })
export class IndianDateTimePipe implements PipeTransform {
  transform(value: string | null | undefined): string {
    return indianDateTime(value);
  }
}

/** `{{ phone | phone }}` → `+91 98765 43210`. */
@Pipe({ name: 'phone' })
export class PhonePipe implements PipeTransform {
  transform(value: string | null | undefined): string {
    return phone(value);
  }
}

/** `{{ status | label }}` → `In process`. */
@Pipe({ name: 'label' })
export class LabelPipe implements PipeTransform {
  transform(value: string | null | undefined): string {
    return label(value);
  }
}

/** Every formatting pipe, for a component's `imports`. */
export const FORMAT_PIPES = [RupeesPipe, IndianDatePipe, IndianDateTimePipe, PhonePipe, LabelPipe] as const;
