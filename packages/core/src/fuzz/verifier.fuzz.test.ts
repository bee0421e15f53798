// Fuzzing the verifier: mutated tokens are never accepted, and the Web and Node engines agree.
import { beforeAll, expect, it } from 'vitest';
import { assertProperties } from './harness.js';
import { createFuzzFixture, type FuzzFixture, verifierProperties } from './properties.js';

let fixture: FuzzFixture;
beforeAll(async () => {
  fixture = await createFuzzFixture();
});

it('never accepts a mutation and gives the same verdict on both engines', async () => {
  const properties = verifierProperties(fixture);
  expect(properties.length).toBe(4);
  await assertProperties(properties, 60);
});
