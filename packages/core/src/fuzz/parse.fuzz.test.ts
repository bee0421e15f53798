// Fuzzing the token parser (strict compact syntax) under both segment decoders.
import { expect, it } from 'vitest';
import { assertProperties } from './harness.js';
import { parserProperties } from './properties.js';

it('round-trips valid tokens, refuses re-encodings, types every refusal', async () => {
  const properties = parserProperties();
  expect(properties.length).toBe(3);
  await assertProperties(properties, 300);
});
