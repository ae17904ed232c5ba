// semver 5 (a dependency of solc-js, hoisted) ships no types; only what compilers.ts calls.
declare module 'semver' {
  const semver: {
    satisfies(version: string, range: string): boolean;
    validRange(range: string): string | null;
  };
  export default semver;
}
