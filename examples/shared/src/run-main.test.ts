import { afterEach, describe, expect, it, vi } from 'vitest';
import { runMain } from './run-main.js';

describe('runMain', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the error message without a stack and exits with status 1', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const print = vi.spyOn(console, 'error').mockImplementation(() => {});
    await runMain('the example', async () => {
      throw new TypeError('PORT must be a whole number from 0 to 65535, got "eighty"');
    });
    expect(print).toHaveBeenCalledExactlyOnceWith(
      'the example: PORT must be a whole number from 0 to 65535, got "eighty"',
    );
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('prints a thrown non-error as text', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const print = vi.spyOn(console, 'error').mockImplementation(() => {});
    await runMain('x', () => Promise.reject('down'));
    expect(print).toHaveBeenCalledExactlyOnceWith('x: down');
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('leaves the process alone when the entry succeeds', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let ran = false;
    await runMain('x', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(exit).not.toHaveBeenCalled();
  });
});
