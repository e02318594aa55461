// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_PATH, generateApiTypes } from '../scripts/api-types';

// The web app's API types are generated from the server's OpenAPI document. When a route or a
// model changes, this fails until `npm run gen:api -w examples/web` is run and the file committed.
describe('generated API client', () => {
  it('matches the server’s current OpenAPI document', async () => {
    const fresh = await generateApiTypes();
    const committed = readFileSync(API_TYPES_PATH, 'utf8');
    expect(
      committed === fresh,
      'src/api/schema.d.ts is stale: run `npm run gen:api -w examples/web` and commit it',
    ).toBe(true);
  }, 60_000);
});
