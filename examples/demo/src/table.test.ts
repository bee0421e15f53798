import { describe, expect, it } from 'vitest';
import { allExpected, renderTable } from './table.js';

const step = (name: string, ok: boolean, actual = ok ? '200' : '500') => ({
  step: name,
  expected: '200',
  actual,
  ok,
});

describe('the result table', () => {
  it('puts steps in rows and frameworks in columns with ✓ per expected cell', () => {
    const table = renderTable([
      { framework: 'express', results: [step('GET /me', true)] },
      { framework: 'hono', results: [step('GET /me', false)] },
    ]);
    const [header, , row] = table.split('\n');
    expect(header).toBe('step     expected  express  hono');
    expect(row).toBe('GET /me  200       200 ✓    500 ✗');
  });

  it('counts a step one framework never reached as not as expected', () => {
    const runs = [
      { framework: 'a', results: [step('one', true), step('two', true)] },
      { framework: 'b', results: [step('one', true)] },
    ];
    expect(allExpected(runs)).toBe(false);
    expect(renderTable(runs)).toContain('not run');
    expect(allExpected([runs[0]!])).toBe(true);
  });
});
