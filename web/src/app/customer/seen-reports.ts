import type { components } from '../api/schema';

type Report = components['schemas']['Report'];

/** A report the customer opened, as remembered on this device. */
export interface SeenReport {
  id: string;
  company_name: string;
  reporter_name: string;
  amount_paise: number;
  status: string;
  /** When it was last opened (RFC 3339). */
  seen_at: string;
}

const MAX = 20;

/**
 * The reports a customer user opened on this device (`localStorage`, per
 * user), newest first: the API gives a customer no list of the reports
 * that name them, only each report by its number.
 */
export function seenReports(userId: string | undefined) {
  const key = `hisaab.customer.reports.${userId ?? 'anonymous'}`;
  const list = (): SeenReport[] => {
    try {
      const value = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
      return Array.isArray(value) ? (value as SeenReport[]) : [];
    } catch {
      return [];
    }
  };
  return {
    list,
    remember(r: Report): void {
      const entry: SeenReport = {
        id: r.id,
        company_name: r.company_name,
        reporter_name: r.reporter_name,
        amount_paise: r.amount_paise,
        status: r.status,
        seen_at: new Date().toISOString(),
      };
      const next = [entry, ...list().filter((x) => x.id !== r.id)].slice(0, MAX);
      try {
        localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // Storage full or disabled: the list is a convenience only.
      }
    },
  };
}
