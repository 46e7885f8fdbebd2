/** A compiled `Upstash-Retry-Delay` expression: milliseconds for a given `retried`. */
export type RetryDelay = (retried: number) => number;

// The functions QStash's retry docs list for Upstash-Retry-Delay, and nothing else:
// the expression comes from a publisher, so it is parsed, never handed to eval.
const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  pow: (a = 0, b = 0) => a ** b,
  sqrt: (a = 0) => Math.sqrt(a),
  abs: (a = 0) => Math.abs(a),
  exp: (a = 0) => Math.exp(a),
  floor: (a = 0) => Math.floor(a),
  ceil: (a = 0) => Math.ceil(a),
  round: (a = 0) => Math.round(a),
  min: (...xs) => Math.min(...xs),
  max: (...xs) => Math.max(...xs),
};

type Node = (retried: number) => number;

const tokenize = (text: string): string[] => {
  const tokens = text.match(/\d+(?:\.\d+)?|[A-Za-z_]\w*|[-+*/(),]|\S/g) ?? [];
  if (tokens.join("") !== text.replace(/\s+/g, "")) throw new Error("unexpected character");
  return tokens;
};

/**
 * Compiles a retry delay expression such as `pow(2, retried) * 1000`, where
 * `retried` is how often the message has been retried so far.
 * Throws on anything that is not arithmetic over numbers, `retried` and the
 * documented functions.
 *
 * @example
 * compileRetryDelay("1000 * (1 + retried)")(2); // 3000
 */
export const compileRetryDelay = (expression: string): RetryDelay => {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const take = (expected?: string): string => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? "a value"} at token ${at}`);
    }
    return token;
  };

  const primary = (): Node => {
    const token = take();
    if (/^\d/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (token === "retried") return (retried) => retried;
    if (token === "(") {
      const inner = sum();
      take(")");
      return inner;
    }
    if (token === "-" || token === "+") {
      const operand = primary();
      return token === "-" ? (r) => -operand(r) : operand;
    }
    const fn = FUNCTIONS[token];
    if (!fn) throw new Error(`unknown name ${token}`);
    take("(");
    const args: Node[] = [sum()];
    while (peek() === ",") {
      take(",");
      args.push(sum());
    }
    take(")");
    return (r) => fn(...args.map((arg) => arg(r)));
  };

  const product = (): Node => {
    let left = primary();
    while (peek() === "*" || peek() === "/") {
      const op = take();
      const l = left;
      const right = primary();
      left = op === "*" ? (r) => l(r) * right(r) : (r) => l(r) / right(r);
    }
    return left;
  };

  const sum = (): Node => {
    let left = product();
    while (peek() === "+" || peek() === "-") {
      const op = take();
      const l = left;
      const right = product();
      left = op === "+" ? (r) => l(r) + right(r) : (r) => l(r) - right(r);
    }
    return left;
  };

  const root = sum();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]}`);
  return (retried) => {
    const value = root(retried);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
};
