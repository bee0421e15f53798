// Fuzzing the DPoP proof checks (RFC 9449 §4.3) of createDpopProofVerifier.
import { beforeAll, expect, it } from 'vitest';
import { InvalidDpopProofError } from '../errors.js';
import { assertProperties } from './harness.js';
import { createFuzzFixture, dpopProperties, type FuzzFixture } from './properties.js';

let fixture: FuzzFixture;
beforeAll(async () => {
  fixture = await createFuzzFixture();
});

it('accepts a valid proof once and refuses every mutation with a typed 401', async () => {
  const properties = dpopProperties(fixture);
  expect(properties.length).toBe(2);
  await assertProperties(properties, 60);
});

// Found by the fuzzer: a JavaScript caller may pass a framework's header value unchecked.
it.each([
  false,
  5,
  null,
  {},
  [5],
  [null],
])('refuses a DPoP header value that is not a string (%j) with a typed 401', async (value) => {
  const verify = fixture.proofs.verify({
    proof: value as unknown as string,
    method: 'POST',
    uri: 'https://api.example.com/things',
  });
  await expect(verify).rejects.toBeInstanceOf(InvalidDpopProofError);
});
