import { describe, expect, it } from 'vitest';
import { rawHeaderValues } from '../adapter.js';

describe('rawHeaderValues', () => {
  it('answers the one line as a string, whatever the case of its name', () => {
    for (const name of ['authorization', 'Authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn']) {
      expect(rawHeaderValues(['Host', 'x', name, 'Bearer a'], 'authorization')).toBe('Bearer a');
    }
    expect(rawHeaderValues(['authorization', 'Bearer a'], 'Authorization')).toBe('Bearer a');
  });

  it('answers every line, in order, when there are several (Node keeps only the first)', () => {
    const raw = ['Authorization', 'Bearer a', 'Host', 'x', 'authorization', 'Bearer b'];
    expect(rawHeaderValues(raw, 'authorization')).toEqual(['Bearer a', 'Bearer b']);
    expect(rawHeaderValues([...raw, 'AUTHORIZATION', ''], 'authorization')).toEqual([
      'Bearer a',
      'Bearer b',
      '',
    ]);
  });

  it('answers undefined without the header, and skips what is not a name/value pair', () => {
    expect(rawHeaderValues([], 'authorization')).toBeUndefined();
    expect(rawHeaderValues(['Host', 'x'], 'authorization')).toBeUndefined();
    // A same-length name that is another header, a dangling name, entries that are not strings.
    expect(rawHeaderValues(['authorizatioN2', 'no', 'Authorizatiom', 'no'], 'authorization')).toBe(
      undefined,
    );
    expect(rawHeaderValues(['authorization'], 'authorization')).toBeUndefined();
    expect(
      rawHeaderValues([1, 'x', 'authorization', 2, null, 'y'], 'authorization'),
    ).toBeUndefined();
  });
});
