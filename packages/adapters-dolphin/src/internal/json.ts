/**
 * JSON helpers that keep DolphinScheduler's 64-bit codes exact. Codes are generated as longs; the
 * adapter carries them as decimal strings, reads integers beyond 2^53 from the source text and
 * writes codes back as raw JSON numbers.
 */

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;
const jsonWithRaw = JSON as unknown as {
  rawJSON(text: string): unknown;
  parse(text: string, reviver: Reviver): unknown;
};

/**
 * Parses JSON, turning integers that do not fit a double exactly into decimal strings.
 *
 * @internal
 */
export function parseJsonLossless(text: string): unknown {
  return jsonWithRaw.parse(text, (_key, value, context) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source) {
      if (/^-?\d+$/.test(context.source)) return context.source;
    }
    return value;
  });
}

/**
 * Parses JSON, turning every integer into a bigint (used by the fake for codes).
 *
 * @internal
 */
export function parseJsonBigInts(text: string): unknown {
  return jsonWithRaw.parse(text, (_key, value, context) => {
    if (typeof value === 'number' && context?.source && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source);
    }
    return value;
  });
}

/**
 * A marker that serialises as a raw JSON number (for codes kept as decimal strings).
 *
 * @internal
 */
export function rawNumber(digits: string | bigint): unknown {
  const s = String(digits);
  if (!/^-?\d+$/.test(s)) throw new TypeError(`not an integer: ${s.slice(0, 40)}`);
  return jsonWithRaw.rawJSON(s);
}

/**
 * `JSON.stringify` that writes bigints as raw numbers.
 *
 * @internal
 */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? jsonWithRaw.rawJSON(v.toString()) : v,
  );
}
