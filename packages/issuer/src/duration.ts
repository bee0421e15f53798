/**
 * A duration: whole seconds, or a string such as `'90s'`, `'15m'`, `'12h'`, `'30d'`, `'2w'`.
 *
 * @example
 * createTokenIssuer({ ...options, accessTokenTtl: '15m', refreshTokenTtl: 30 * 86_400 });
 */
export type Duration = number | string;

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
  w: 604_800,
  week: 604_800,
  weeks: 604_800,
};

const PATTERN = /^(\d+)\s*([a-z]+)$/i;

/**
 * Parse a {@link Duration} into whole seconds; a misused option is a `TypeError` naming it.
 *
 * @example
 * toSeconds('15m', 'accessTokenTtl'); // 900
 */
export function toSeconds(value: Duration, option: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return value;
  } else if (typeof value === 'string') {
    const match = PATTERN.exec(value.trim());
    const unit = match ? UNIT_SECONDS[match[2]!.toLowerCase()] : undefined;
    if (match && unit !== undefined) {
      const seconds = Number(match[1]) * unit;
      if (Number.isSafeInteger(seconds) && seconds > 0) return seconds;
    }
  }
  throw new TypeError(
    `"${option}" must be a positive whole number of seconds or a duration such as '15m'`,
  );
}

/** The current time in whole seconds since the epoch (JWT NumericDate, RFC 7519 §2). */
export function epochSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}
