// Fuzzing token extraction (Authorization lines, cookie, query) and `authenticate` on both engines.
import { beforeAll, expect, it } from 'vitest';
import { assertProperties } from './harness.js';
import { createFuzzFixture, extractorProperties, type FuzzFixture } from './properties.js';

let fixture: FuzzFixture;
beforeAll(async () => {
  fixture = await createFuzzFixture();
});

it('extracts one well-formed token or refuses with a typed error', async () => {
  const properties = extractorProperties(fixture);
  expect(properties.length).toBe(3);
  await assertProperties(properties, 100);
});
