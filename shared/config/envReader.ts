export type Env = Record<string, string | undefined>;

/**
 * Reads typed settings from an env map and collects every problem, so a
 * misconfigured deploy fails once with the full list instead of one at a time.
 *
 * @example
 * const env = envReader(process.env);
 * const port = env.int("PORT", 8080, { min: 1, max: 65535 });
 * env.done(); // throws listing every missing or invalid variable
 */
export function envReader(env: Env) {
  const problems: string[] = [];
  const raw = (name: string) => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  return {
    string(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    optional(name: string): string | undefined {
      return raw(name);
    },
    secret(name: string, minLength = 16): string {
      const value = raw(name);
      if (value === undefined) problems.push(`${name} is required`);
      else if (value.length < minLength)
        problems.push(`${name} needs at least ${minLength} characters`);
      return value ?? "";
    },
    int(name: string, fallback: number, range: { min: number; max: number }): number {
      const value = raw(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
        problems.push(
          `${name} must be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`,
        );
        return fallback;
      }
      return n;
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(value)) {
        problems.push(`${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
        return fallback;
      }
      return value as T;
    },
    /** a problem no single variable shows: two that do not go together */
    invalid(message: string): void {
      problems.push(message);
    },
    done(): void {
      if (problems.length > 0) {
        throw new Error(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
      }
    },
  };
}
