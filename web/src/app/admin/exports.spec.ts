import { describe, expect, it } from 'vitest';
import { EXPORT_KINDS, exportFileName, fileSize, kindText } from './exports';

describe('export helpers', () => {
  it('names every kind the API knows, Everything first', () => {
    expect(EXPORT_KINDS[0]).toEqual({ value: 'all', text: 'Everything' });
    expect(EXPORT_KINDS.map((k) => k.value)).toContain('edit-requests');
    expect(EXPORT_KINDS).toHaveLength(20);
    expect(kindText('audit')).toBe('Audit log');
    expect(kindText('something-new')).toBe('something-new');
  });
  it('shows sizes in B, kB and MB', () => {
    expect(fileSize(812)).toBe('812 B');
    expect(fileSize(1_100)).toBe('1.1 kB');
    expect(fileSize(345_678)).toBe('346 kB');
    expect(fileSize(3_200_000)).toBe('3.2 MB');
    expect(fileSize(null)).toBe('—');
  });
  it('names the file after the kind, whose and the day', () => {
    expect(exportFileName('customers', 'Asha Traders & Sons', '2026-12-01T10:00:00Z')).toBe(
      'hisaab-customers-asha-traders-sons-2026-12-01.jsonl',
    );
    expect(exportFileName('all', 'platform', '2026-12-01T10:00:00Z')).toBe('hisaab-all-platform-2026-12-01.jsonl');
  });
});
