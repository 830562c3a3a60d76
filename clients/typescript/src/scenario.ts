// The harness the end-to-end scripts share: named steps that print `ok` or `FAIL`, and checks that
// throw a ScenarioFailure. FAIL goes straight to stderr, not through console.error, which the
// Apollo scenario watches for the library's own warnings.

export class ScenarioFailure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ScenarioFailure(message);
}

/** A value the schema lets be null (a mutation's result when it failed), required here. */
export function present<T>(value: T | null | undefined, what: string): T {
  check(value !== null && value !== undefined, `${what} is ${String(value)}`);
  return value;
}

let passed = 0;

/** How many steps have passed so far. */
export function stepsPassed(): number {
  return passed;
}

export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    passed += 1;
    console.log(`  ok  ${name}`);
    return result;
  } catch (error) {
    process.stderr.write(`  FAIL ${name}\n`);
    throw error;
  }
}
