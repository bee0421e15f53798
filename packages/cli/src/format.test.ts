import { describe, expect, it } from 'vitest';
import { colorEnabled, createStyle, span, timeNote, utc } from './format.js';

describe('times', () => {
  it('writes a NumericDate in UTC to the second', () => {
    expect(utc(0)).toBe('1970-01-01 00:00:00 UTC');
    expect(utc(1_796_527_252)).toBe('2026-12-06 03:20:52 UTC');
  });

  it('says a span in the largest unit that keeps it readable', () => {
    expect([
      span(30),
      span(119),
      span(120),
      span(240),
      span(7199),
      span(7200),
      span(-90_000),
      span(172_800),
    ]).toEqual(['30 s', '119 s', '2 min', '4 min', '120 min', '2 h', '25 h', '2 d']);
  });

  it('says what exp, nbf and iat mean now', () => {
    const now = 1_000_000;
    expect(timeNote('exp', now + 240, now)).toBe('expires in 4 min');
    expect(timeNote('exp', now - 7200, now)).toBe('expired 2 h ago');
    expect(timeNote('exp', now, now)).toBe('expired 0 s ago');
    expect(timeNote('nbf', now + 30, now)).toBe('not valid for 30 s');
    expect(timeNote('nbf', now - 30, now)).toBe('valid since 30 s ago');
    expect(timeNote('iat', now - 120, now)).toBe('issued 2 min ago');
    expect(timeNote('iat', now + 60, now)).toBe('issued in the future (in 60 s)');
  });
});

describe('colour', () => {
  const tty = { isTTY: true } as never;
  const pipe = { isTTY: false } as never;

  it('is on for a terminal only, unless NO_COLOR, --no-color or FORCE_COLOR say otherwise', () => {
    expect(colorEnabled(tty, {}, undefined)).toBe(true);
    expect(colorEnabled(pipe, {}, undefined)).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '1' }, undefined)).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '' }, undefined)).toBe(true);
    expect(colorEnabled(tty, {}, false)).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' }, undefined)).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '0' }, undefined)).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, undefined)).toBe(false);
  });

  it('leaves the text alone when off', () => {
    expect(createStyle(false).red('x')).toBe('x');
    expect(createStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
