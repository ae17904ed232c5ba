/**
 * The library entry point (`package.json` "main"): what a program embedding patchproof calls. The CLI
 * (`src/cli/main.ts`) is built on the same functions.
 */
export { checkPatch, TOOL_VERSION, ASSUMPTIONS } from './check.ts';
export type { CheckOptions, CheckResult, PairInput, ProgressEvent, SideInfo } from './api.ts';
export { proveProperties, loadSpec } from './spec/prove.ts';
export type { ProveOptions, ProveResult, PropertiesOverall } from './spec/prove.ts';
export { Z3Solver, hasStuckSolverThreads } from './smt/z3.ts';
export type * from './verdicts/types.ts';
