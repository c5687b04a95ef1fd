import { saveFile } from '../../core/files';
import { call } from '../../core/problem';

/**
 * Saves a CSV answer of the API (a `format=csv` call made with
 * `parseAs: 'blob'`) as the download `name`; throws `ApiProblem` on failure.
 */
export async function saveCsv(
  request: Promise<{ data?: unknown; error?: unknown; response: Response }>,
  name: string,
): Promise<void> {
  const blob = (await call(request)) as Blob;
  saveFile(blob, name);
}
