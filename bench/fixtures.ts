import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture corpus the benches run over. */
export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Names of the fixture pairs (directories with an expected.json), sorted; `only` narrows them when non-empty. */
export function fixturePairs(only: readonly string[] = []): string[] {
  const isPair = (n: string): boolean => {
    try {
      return statSync(path.join(fixturesDir, n, 'expected.json')).isFile();
    } catch {
      return false;
    }
  };
  return readdirSync(fixturesDir)
    .filter((n) => (only.length === 0 || only.includes(n)) && isPair(n))
    .sort();
}
