import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { profilePatch } from './profile-patch';

const user: components['schemas']['UserView'] = {
  id: 'usr_1',
  name: 'Asha',
  phone: '+919876543210',
  email: 'asha@example.com',
  role: 'owner',
  status: 'active',
  phone_verified: true,
  has_password: false,
  created_at: '2026-11-30T00:00:00Z',
  updated_at: '2026-11-30T00:00:00Z',
  version: 4,
};

describe('profilePatch', () => {
  it('sends only what changed, with the version read', () => {
    expect(
      profilePatch(user, { name: 'Asha R. ', email: 'asha@example.com', photo_url: '' }),
    ).toEqual({ version: 4, name: 'Asha R.' });
  });
  it('removes an emptied email with null', () => {
    expect(
      profilePatch(user, { name: 'Asha', email: ' ', photo_url: 'https://example.com/a.jpg' }),
    ).toEqual({
      version: 4,
      email: null,
      photo_url: 'https://example.com/a.jpg',
    });
  });
});
