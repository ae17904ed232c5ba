// semver 5 (a dependency of solc-js, hoisted) ships no types; only what compilers.ts and hhcache.ts call.
declare module 'semver' {
  const semver: {
    satisfies(version: string, range: string): boolean;
    validRange(range: string): string | null;
    rcompare(a: string, b: string): number;
  };
  export default semver;
}
