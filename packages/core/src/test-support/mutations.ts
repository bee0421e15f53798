// Bad-input classes for the differential test: each takes one valid token and yields
// variants that differ in exactly one way (re-signed when the defect must reach past the
// signature check).
import { base64url } from 'jose';
import { type Keys, NOW, type Rng, seg, signerFor, signJws, validClaims } from './differential.js';

/** One valid token and what it was made from. */
export interface Base {
  alg: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  key: Parameters<typeof signJws>[2];
  token: string;
}

/** A generated input and the class it belongs to (for failure messages). */
export interface Case {
  label: string;
  token: unknown;
}

type Mutation = (base: Base, rng: Rng, keys: Keys) => Promise<Case[]> | Case[];

const parts = (token: string) => token.split('.') as [string, string, string];
const flipChar = (text: string, rng: Rng) => {
  if (text.length === 0) return 'A';
  const i = rng.int(text.length);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const c = alphabet[(alphabet.indexOf(text[i] as string) + 1 + rng.int(63)) % 64];
  return text.slice(0, i) + c + text.slice(i + 1);
};
const resign = (b: Base, header: Record<string, unknown>, claims: unknown, label: string) =>
  signJws(header, claims, b.key).then((token) => ({ label, token }));

const header: Mutation = async (b, rng, keys) => {
  const [, p, s] = parts(b.token);
  const other = rng.pick(
    ['HS256', 'RS256', 'PS384', 'ES256', 'ES512', 'EdDSA'].filter((a) => a !== b.alg),
  );
  const otherKey = signerFor(keys, other, rng);
  const cases: Case[] = [
    { label: 'alg none, no signature', token: `${seg({ ...b.header, alg: 'none' })}.${p}.` },
    { label: 'alg none, signature kept', token: `${seg({ ...b.header, alg: 'none' })}.${p}.${s}` },
    { label: 'alg NoNe', token: `${seg({ ...b.header, alg: 'NoNe' })}.${p}.${s}` },
    {
      label: 'alg changed, signature kept',
      token: `${seg({ ...b.header, alg: other })}.${p}.${s}`,
    },
    { label: 'alg unknown', token: `${seg({ ...b.header, alg: 'XS256' })}.${p}.${s}` },
    { label: 'alg missing', token: `${seg({ kid: b.header.kid })}.${p}.${s}` },
    { label: 'alg not a string', token: `${seg({ ...b.header, alg: 256 })}.${p}.${s}` },
    { label: 'header JSON array', token: `${seg([b.header])}.${p}.${s}` },
    { label: 'header not JSON', token: `${seg('{"alg":"HS256"')}.${p}.${s}` },
    { label: 'header null', token: `${seg('null')}.${p}.${s}` },
    {
      label: 'header invalid UTF-8',
      token: `${seg(new Uint8Array([0x7b, 0xff, 0x7d]))}.${p}.${s}`,
    },
    { label: 'header with BOM', token: `${seg(`\ufeff${JSON.stringify(b.header)}`)}.${p}.${s}` },
    { label: 'kid not a string', token: `${seg({ ...b.header, kid: 7 })}.${p}.${s}` },
  ];
  const signed = await Promise.all([
    resign(b, { ...b.header, kid: 'unknown-kid' }, b.claims, 'kid unknown'),
    resign(
      b,
      { alg: b.alg, ...(b.header.typ ? { typ: b.header.typ } : {}) },
      b.claims,
      'kid removed',
    ),
    resign(
      b,
      { ...b.header, kid: rng.pick(['rsa', 'ec256', 'ed', 'hs-1']) },
      b.claims,
      'kid of another key',
    ),
    resign(b, { ...b.header, crit: ['urn:x'], 'urn:x': 1 }, b.claims, 'crit unknown extension'),
    resign(
      b,
      { ...b.header, typ: rng.pick(['at+jwt', 'application/at+JWT', 'jwt', 'dpop+jwt', '']) },
      b.claims,
      'typ varied',
    ),
    resign(
      b,
      {
        ...b.header,
        jwk: keys.ed.jwk,
        jku: 'http://127.0.0.1:1/jwks',
        x5u: 'http://127.0.0.1:1/x',
      },
      b.claims,
      'embedded key headers',
    ),
    signJws({ ...b.header, alg: other, kid: otherKey.kid }, b.claims, otherKey.key).then(
      (token) => ({ label: `re-signed as ${other}`, token }),
    ),
  ]);
  const { typ: _typ, ...untyped } = b.header;
  signed.push(await resign(b, untyped, b.claims, 'typ removed'));
  return [...cases, ...signed];
};

const claimVariants = (c: Record<string, unknown>, rng: Rng): [string, unknown][] => [
  ['exp past', { ...c, exp: NOW - 1 - rng.int(5000) }],
  ['exp within tolerance', { ...c, exp: NOW - rng.int(5) }],
  ['exp at tolerance edge', { ...c, exp: NOW - 5 }],
  ['exp string', { ...c, exp: String(c.exp) }],
  ['exp missing', { ...c, exp: undefined }],
  ['exp fractional', { ...c, exp: NOW + 0.5 }],
  ['exp huge', { ...c, exp: 1e300 }],
  ['exp null', { ...c, exp: null }],
  ['nbf future', { ...c, nbf: NOW + 6 + rng.int(5000) }],
  ['nbf within tolerance', { ...c, nbf: NOW + rng.int(5) }],
  ['nbf string', { ...c, nbf: 'soon' }],
  ['iat future', { ...c, iat: NOW + 6 + rng.int(600) }],
  ['iat old', { ...c, iat: NOW - 4000 - rng.int(10000) }],
  ['iat missing', { ...c, iat: undefined }],
  ['iss wrong', { ...c, iss: 'https://evil.example/' }],
  ['iss missing', { ...c, iss: undefined }],
  ['iss number', { ...c, iss: 42 }],
  ['aud wrong', { ...c, aud: 'api://other' }],
  ['aud array without ours', { ...c, aud: ['x', 'y'] }],
  ['aud missing', { ...c, aud: undefined }],
  ['aud number', { ...c, aud: [1, 2] }],
  ['sub number', { ...c, sub: 12 }],
  ['sub missing', { ...c, sub: undefined }],
  ['jti object', { ...c, jti: {} }],
  ['scope odd', { ...c, scope: '  read  write ', scp: 'x y', permissions: ['p', 3] }],
  ['payload array', [c]],
  ['payload null', null],
  ['payload string', 'claims'],
];

const payload: Mutation = async (b, rng) => {
  const [h, p, s] = parts(b.token);
  const variants = claimVariants(b.claims, rng);
  const chosen = Array.from({ length: 8 }, () => rng.pick(variants));
  const signed = await Promise.all(chosen.map(([label, c]) => resign(b, b.header, c, label)));
  const raw = await Promise.all([
    resign(b, b.header, new TextEncoder().encode('{"sub":'), 'payload not JSON'),
    resign(b, b.header, new Uint8Array([0x7b, 0x22, 0xc3, 0x22, 0x7d]), 'payload invalid UTF-8'),
    resign(
      b,
      b.header,
      new TextEncoder().encode(`\ufeff${JSON.stringify(b.claims)}`),
      'payload with BOM',
    ),
    resign(b, b.header, new Uint8Array(0), 'payload empty'),
  ]);
  return [
    { label: 'payload char flipped', token: `${h}.${flipChar(p, rng)}.${s}` },
    {
      label: 'payload swapped, not re-signed',
      token: `${h}.${seg({ ...b.claims, sub: 'admin' })}.${s}`,
    },
    ...signed,
    ...raw,
  ];
};

const signature: Mutation = (b, rng) => {
  const [h, p, s] = parts(b.token);
  const bytes = base64url.decode(s);
  const flipped = Uint8Array.from(bytes);
  const bit = rng.int(bytes.length * 8);
  flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
  const last = s[s.length - 1] as string;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const nonCanonical = s.slice(0, -1) + alphabet[(alphabet.indexOf(last) + 1) % 64];
  const withSig = (sig: string, label: string): Case => ({ label, token: `${h}.${p}.${sig}` });
  return [
    withSig(base64url.encode(flipped), 'signature bit flipped'),
    withSig(base64url.encode(bytes.slice(0, -1)), 'signature truncated by a byte'),
    withSig(s.slice(0, -1), 'signature truncated by a character'),
    withSig(base64url.encode(new Uint8Array(bytes.length)), 'signature of zeros'),
    withSig('', 'signature empty'),
    withSig(
      base64url.encode(new Uint8Array([...bytes, rng.int(256)])),
      'signature with an extra byte',
    ),
    withSig(base64url.encode(new Uint8Array([0, ...bytes])), 'signature with a leading zero byte'),
    withSig(nonCanonical, 'signature not canonical base64url'),
    withSig(`${s}=`, 'signature padded'),
    withSig(`${s}==`, 'signature double padded'),
    withSig(
      s.replace(/-/g, '+').replace(/_/g, '/') + (s.includes('-') || s.includes('_') ? '' : '+'),
      'signature in base64 alphabet',
    ),
    withSig(`${s.slice(0, 4)} ${s.slice(4)}`, 'signature with a space'),
    withSig(flipChar(s, rng), 'signature character changed'),
  ];
};

const segments: Mutation = (b, rng) => {
  const [h, p, s] = parts(b.token);
  const cases: Case[] = [
    { label: '2 segments', token: `${h}.${p}` },
    { label: '4 segments', token: `${h}.${p}.${s}.${s}` },
    { label: '5 segments', token: `${h}.${p}.${s}.${p}.${s}` },
    { label: '6 segments', token: `${b.token}.${h}.${p}.${s}` },
    { label: 'empty header', token: `.${p}.${s}` },
    { label: 'empty payload', token: `${h}..${s}` },
    { label: 'all empty', token: '..' },
    { label: 'leading dot', token: `.${b.token}` },
    { label: 'trailing dot', token: `${b.token}.` },
    { label: 'surrounding space', token: ` ${b.token} ` },
    { label: 'empty string', token: '' },
    {
      label: 'oversize payload',
      token: `${h}.${seg({ ...b.claims, pad: 'x'.repeat(9000 + rng.int(100)) })}.${s}`,
    },
    { label: 'Bearer prefix kept', token: `Bearer ${b.token}` },
    { label: 'header and payload swapped', token: `${p}.${h}.${s}` },
    {
      label: 'random junk',
      token: Array.from({ length: 1 + rng.int(80) }, () =>
        String.fromCharCode(33 + rng.int(94)),
      ).join(''),
    },
  ];
  if (rng.next() < 0.2)
    cases.push({ label: 'not a string', token: rng.pick([null, 42, {}, [b.token]]) });
  return cases;
};

/** Every bad-input class, in a fixed order. */
export const MUTATIONS: readonly Mutation[] = [header, payload, signature, segments];

/** A valid token for `alg` with seeded claims (and sometimes a `typ`). */
export async function makeBase(keys: Keys, alg: string, rng: Rng): Promise<Base> {
  const { key, kid } = signerFor(keys, alg, rng);
  const header: Record<string, unknown> = { alg, ...(kid ? { kid } : {}) };
  if (rng.next() < 0.7) header.typ = rng.pick(['JWT', 'at+jwt', 'application/at+jwt']);
  const claims = validClaims(rng);
  return { alg, header, claims, key, token: await signJws(header, claims, key) };
}
