import { describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import { KeyConfigurationError } from '../keys/config-error.js';
import { createObserver, observeVerification } from './observe.js';
import type { Telemetry, VerificationEvent } from './types.js';

const auth = { claims: { iss: 'https://id.example/' } };

function recorder(): { telemetry: Telemetry; events: VerificationEvent[] } {
  const events: VerificationEvent[] = [];
  return { events, telemetry: { startVerification: () => (e) => void events.push(e) } };
}

describe('createObserver', () => {
  it('logs to console by default and to nothing with logger: false', () => {
    expect(createObserver({}, undefined).logger).toBe(console);
    expect(createObserver({ logger: false }, undefined).logger).toBeUndefined();
  });

  it("accepts console, a pino-like logger and Nest's Logger (log instead of info)", () => {
    const nest = { log: vi.fn(), warn: vi.fn(), error: vi.fn() };
    expect(createObserver({ logger: nest }, undefined).logger).toBe(nest);
    const pino = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
    expect(createObserver({ logger: pino }, undefined).logger).toBe(pino);
  });

  it.each([
    [null, /"logger" must be a logger/],
    ['console', /"logger" must be a logger/],
    [{ warn: () => {}, info: () => {} }, /"logger" has no error\(\) method/],
    [{ warn: () => {}, error: () => {} }, /"logger" has neither info\(\) nor log\(\)/],
  ])('refuses logger %o with a TypeError', (logger, message) => {
    expect(() => createObserver({ logger: logger as never }, undefined)).toThrow(message);
    expect(() => createObserver({ logger: logger as never }, undefined)).toThrow(TypeError);
  });

  it.each([
    null,
    'otel',
    { startVerification: 'yes' },
    { keySetFetch: 1 },
  ])('refuses telemetry %o with a TypeError', (telemetry) => {
    expect(() => createObserver({ telemetry: telemetry as never }, undefined)).toThrow(
      /"telemetry" must be an object/,
    );
  });

  it("tells both the runtime's receiver and the option's of every event", () => {
    const a = recorder();
    const b = recorder();
    const fetched = vi.fn();
    const { telemetry } = createObserver(
      { telemetry: { ...b.telemetry, keySetFetch: fetched } },
      a.telemetry,
    );
    telemetry?.startVerification?.()?.({ outcome: 'success', durationMs: 1 });
    telemetry?.keySetFetch?.({ source: 's', url: 'u', outcome: 'success', durationMs: 1 });
    expect(a.events).toHaveLength(1);
    expect(b.events).toHaveLength(1);
    expect(fetched).toHaveBeenCalledTimes(1);
  });

  it('has no telemetry when nobody listens', () => {
    expect(createObserver({}, undefined).telemetry).toBeUndefined();
  });
});

describe('observeVerification', () => {
  it('reports an immediate success without making it a promise', () => {
    const { telemetry, events } = recorder();
    const result = observeVerification(telemetry, (_c, _t, _h) => auth, null, 't', undefined);
    expect(result).toBe(auth);
    expect(events).toEqual([
      { outcome: 'success', issuer: 'https://id.example/', durationMs: expect.any(Number) },
    ]);
  });

  it('reports a thrown and a rejected failure with its code and status, and rethrows it', async () => {
    const { telemetry, events } = recorder();
    const invalid = new InvalidSignatureError();
    expect(() =>
      observeVerification(
        telemetry,
        () => {
          throw invalid;
        },
        null,
        't',
        undefined,
      ),
    ).toThrow(invalid);
    const unavailable = new KeySetUnavailableError();
    await expect(
      observeVerification(telemetry, () => Promise.reject(unavailable), null, 't', undefined),
    ).rejects.toBe(unavailable);
    expect(events).toMatchObject([
      { outcome: 'failure', code: 'ERR_SIGNATURE_INVALID', status: 401, error: invalid },
      { outcome: 'failure', code: 'ERR_KEY_SET_UNAVAILABLE', status: 503, error: unavailable },
    ]);
  });

  it('reports a broken key configuration as a 500 named after the error', async () => {
    const { telemetry, events } = recorder();
    const broken = new KeyConfigurationError('bad key');
    await expect(
      observeVerification(telemetry, async () => Promise.reject(broken), null, 't', undefined),
    ).rejects.toBe(broken);
    expect(events[0]).toMatchObject({ code: 'KeyConfigurationError', status: 500 });
  });

  it('skips a verification its telemetry declines, and survives a throwing one', async () => {
    const verify = vi.fn(async () => auth);
    expect(
      await observeVerification({ startVerification: () => undefined }, verify, 1, 't', 2),
    ).toBe(auth);
    expect(verify).toHaveBeenCalledWith(1, 't', 2);
    const throwing: Telemetry = {
      startVerification: () => () => {
        throw new Error('exporter down');
      },
    };
    expect(await observeVerification(throwing, verify, 1, 't', 2)).toBe(auth);
    const refusing: Telemetry = {
      startVerification: () => {
        throw new Error('exporter down');
      },
    };
    expect(await observeVerification(refusing, verify, 1, 't', 2)).toBe(auth);
  });
});
