export * from './types.ts';
export { lowerContract } from './lower/contract.ts';
export { printContract, printFunction } from './print.ts';
export { validateSsa } from './validate.ts';
export { structuralHash } from './hash.ts';
