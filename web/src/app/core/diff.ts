/** One changed field of an audit entry: its path and the values before and after. */
export interface Change {
  field: string;
  before: string;
  after: string;
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'none';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields that differ between an audit entry's `before` and `after`
 * (nested objects by dotted path, arrays compared whole), in key order.
 * A creation (no `before`) lists every field as added. `version` and
 * `updated_at` are left out: they change with every write.
 */
export function diff(before: unknown, after: unknown, prefix = ''): Change[] {
  // A record created or deleted: each of its fields, added or removed.
  if (before === null || before === undefined) before = isObject(after) ? {} : before;
  if (after === null || after === undefined) after = isObject(before) ? {} : after;
  if (!isObject(before) || !isObject(after)) {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ field: prefix || 'value', before: show(before), after: show(after) }];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: Change[] = [];
  for (const key of keys) {
    if (!prefix && (key === 'version' || key === 'updated_at')) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const b = before[key];
    const a = after[key];
    if (isObject(b) && isObject(a)) changes.push(...diff(b, a, path));
    else if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ field: path, before: show(b), after: show(a) });
  }
  return changes;
}
