/** Exhaustiveness check for switches over tagged unions. Reaching it is a bug in the tool. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`internal error: unexpected ${what}: ${JSON.stringify(x)}`);
}

/** An invariant of the tool itself. Failing it is a bug in patchproof, never a user error. */
export function invariant(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`internal error: ${msg}`);
}
