/**
 * Refuse option names that are not in `known` (a typo such as `acessTokenTtl` would
 * otherwise fall back to a default silently). Throws `TypeError` naming the option.
 *
 * @example
 * checkKnownOptions(options, ['issuer', 'audience'], 'createTokenIssuer');
 */
export function checkKnownOptions(options: object, known: readonly string[], where: string): void {
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new TypeError(`Unknown option "${name}" in ${where}; known: ${known.join(', ')}`);
    }
  }
}
