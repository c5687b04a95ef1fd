import type { components } from '../../api/schema';

type User = components['schemas']['UserView'];
type ProfilePatch = components['schemas']['ProfilePatch'];

/**
 * `PATCH /v1/me` for the profile form: only what changed, an emptied
 * email or photo as `null` (removes it), and the version read, so an edit
 * made meanwhile on another device is not overwritten.
 */
export function profilePatch(
  user: User,
  v: { name: string; email: string; photo_url: string },
): ProfilePatch {
  const patch: ProfilePatch = { version: user.version };
  const name = v.name.trim();
  const email = v.email.trim() || null;
  const photo = v.photo_url.trim() || null;
  if (name !== user.name) patch.name = name;
  if (email !== (user.email ?? null)) patch.email = email;
  if (photo !== (user.photo_url ?? null)) patch.photo_url = photo;
  return patch;
}
