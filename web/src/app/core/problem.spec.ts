import { describe, expect, it } from 'vitest';
import { ApiProblem, refused } from './problem';

describe('refused', () => {
  it('is true for a 4xx problem: nothing was recorded, the next attempt takes a new key', () => {
    expect(refused(new ApiProblem(400, null))).toBe(true);
    expect(refused(new ApiProblem(422, null))).toBe(true);
    expect(refused(new ApiProblem(499, null))).toBe(true);
  });

  it('is false where the create may have been recorded: a 5xx or a network failure', () => {
    expect(refused(new ApiProblem(500, null))).toBe(false);
    expect(refused(new ApiProblem(503, null))).toBe(false);
    expect(refused(new TypeError('Failed to fetch'))).toBe(false);
    expect(refused(new ApiProblem(399, null))).toBe(false);
  });
});
