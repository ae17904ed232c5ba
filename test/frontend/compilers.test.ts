import { describe, expect, it } from 'vitest';
import { evmVersionFor, isPre08, pragmasOf, resolveVersion } from '../../src/frontend/compilers.ts';
import { PatchproofError } from '../../src/frontend/errors.ts';

const p = (range: string, unit = 'A.sol') => ({ unit, range, line: 2, col: 1 });

describe('compiler resolution from pragmas', () => {
  it('picks the newest bundled compiler satisfying every pragma', () => {
    expect(resolveVersion([])).toBe('0.8.30');
    expect(resolveVersion([p('^0.8.0')])).toBe('0.8.30');
    expect(resolveVersion([p('0.8.24')])).toBe('0.8.24');
    expect(resolveVersion([p('=0.8.26')])).toBe('0.8.26');
    expect(resolveVersion([p('0.8.19')])).toBe('0.8.19');
    expect(resolveVersion([p('>=0.8.19 <0.8.23')])).toBe('0.8.22');
    expect(resolveVersion([p('>=0.8.0 <0.8.25')])).toBe('0.8.24');
    expect(resolveVersion([p('^0.8.0'), p('<=0.8.28', 'lib/B.sol')])).toBe('0.8.28');
    expect(resolveVersion([p('>=0.6.0 <0.8.0')])).toBe('0.7.6');
    expect(resolveVersion([p('^0.6.2')])).toBe('0.6.12');
    expect(resolveVersion([p('^0.8.0 || 0.7.6'), p('<0.8.0', 'B.sol')])).toBe('0.7.6');
  });

  it('refuses a pragma no bundled compiler satisfies, naming it and the bundled versions', () => {
    const fail = (ps: ReturnType<typeof p>[]) => {
      try {
        resolveVersion(ps);
      } catch (e) {
        expect(e).toBeInstanceOf(PatchproofError);
        return (e as PatchproofError).message;
      }
      throw new Error('expected a refusal');
    };
    expect(fail([p('^0.8.0'), p('0.8.18', 'lib/Old.sol')])).toMatch(/^lib\/Old\.sol:2:1: pragma solidity 0\.8\.18 is satisfied by no available compiler; bundled: 0\.8\.30, .*0\.6\.12; in Hardhat.s compiler cache/);
    expect(fail([p('^0.7.0'), p('^0.8.0', 'B.sol')])).toMatch(/^no available compiler satisfies all of the pragmas together \(A\.sol:2:1 \^0\.7\.0; B\.sol:2:1 \^0\.8\.0\); bundled: /);
    expect(fail([p('not a range')])).toMatch(/pragma solidity not a range is not a version range/);
  });

  it('reads pragmas by parsing, ignoring comments', () => {
    const src = '// pragma solidity 0.4.0;\npragma solidity >=0.7.0 <0.9.0;\npragma abicoder v2;\ncontract A {}\n';
    expect(pragmasOf('A.sol', src)).toEqual([{ unit: 'A.sol', range: '>=0.7.0 <0.9.0', line: 2, col: 1 }]);
  });

  it('chooses an evmVersion each compiler knows, and flags pre-0.8 code', () => {
    expect(['0.8.30', '0.8.24', '0.8.20', '0.8.19', '0.7.6', '0.6.12'].map(evmVersionFor)).toEqual(['cancun', 'cancun', 'shanghai', 'paris', 'istanbul', 'istanbul']);
    expect([isPre08('0.7.6+commit.7338295f'), isPre08('0.6.12+commit.27d51765'), isPre08('0.8.30+commit.73712a01')]).toEqual([true, true, false]);
  });
});
