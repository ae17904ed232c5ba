import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerConditions } from '../../src/obligations/conditions.ts';
import { parseRelationFlag, resolveEntryPoint } from '../../src/obligations/relations.ts';
import { validateSsa } from '../../src/ir/validate.ts';
import { projectRoot } from '../cli/helpers.ts';

const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
const file = path.join(projectRoot, 'fixtures-relations/intended-underflow-fix/old.sol');

describe('relation flags', () => {
  it('parses the signature, the version prefix and the condition with its column', () => {
    expect(parseRelationFlag('--blocks', 'withdraw(uint256): amount > balances[msg.sender]')).toEqual({
      kind: 'blocks',
      condition: { entryPoint: 'withdraw(uint256)', text: 'amount > balances[msg.sender]', version: 'old', origin: { source: '--blocks', line: 1, col: 20 } },
    });
    const r = parseRelationFlag('--differs-only-when', 'new:f((uint256,address), bytes32) : x == 1');
    expect(r.kind).toBe('differs-only-when');
    expect(r.condition).toMatchObject({ entryPoint: 'f((uint256,address),bytes32)', text: 'x == 1', version: 'new' });
    expect(r.condition.origin.col).toBe('new:f((uint256,address), bytes32) : '.length + 1);
  });

  it('says what is wrong with a malformed flag', () => {
    expect(() => parseRelationFlag('--blocks', 'withdraw(uint256) amount > 0')).toThrow(/a ':' must follow the signature withdraw\(uint256\)/);
    expect(() => parseRelationFlag('--blocks', 'withdraw(uint256):  ')).toThrow(/the condition is empty/);
    expect(() => parseRelationFlag('--blocks', 'amount > 0')).toThrow(/no function signature/);
    expect(() => parseRelationFlag('--blocks', 'withdraw(uint256: x')).toThrow(/unbalanced/);
  });
});

describe('conditions as IR', () => {
  const load = async () => {
    const comp = await compileFile(file, { cacheDir });
    return { comp, contract: selectContract(comp, 'Ledger') };
  };

  it('lowers a condition over parameters, msg.sender and state to valid SSA', async () => {
    const { comp, contract } = await load();
    const spec = parseRelationFlag('--blocks', 'withdraw(uint256): amount > balances[msg.sender] && totalWithdrawn < 10').condition;
    const [c] = await lowerConditions([spec], comp, contract, { file, cacheDir, contract: 'Ledger' });
    expect(c!.fn.body.ok).toBe(true);
    expect(c!.fn.params.map((p) => p.name)).toEqual(['amount']);
    expect(validateSsa(c!.fn)).toEqual([]);
  });

  it("names the flag, line and column of solc's complaint", async () => {
    const { comp, contract } = await load();
    const bad = parseRelationFlag('--differs-only-when', 'withdraw(uint256): amount > balance[msg.sender]').condition;
    await expect(lowerConditions([bad], comp, contract, { file, cacheDir, contract: 'Ledger' })).rejects.toThrow(/--differs-only-when:1:29: Undeclared identifier/);
    const notBool = parseRelationFlag('--blocks', 'withdraw(uint256): amount').condition;
    await expect(lowerConditions([notBool], comp, contract, { file, cacheDir, contract: 'Ledger' })).rejects.toThrow(/--blocks:1:20: .*not implicitly convertible to expected type .*bool/);
    const writes = parseRelationFlag('--blocks', 'withdraw(uint256): (totalWithdrawn = amount) > 0').condition;
    await expect(lowerConditions([writes], comp, contract, { file, cacheDir, contract: 'Ledger' })).rejects.toThrow(/--blocks/);
    const missing = parseRelationFlag('--blocks', 'deposit(): true').condition;
    await expect(lowerConditions([missing], comp, contract, { file, cacheDir, contract: 'Ledger' })).rejects.toThrow(/has no entry point deposit\(\)/);
  });
});

describe('condition semantics', () => {
  it('evaluates on the entry point calldata and the pre-state (IR interpreter)', async () => {
    const { interpret } = await import('../../src/ir/interp.ts');
    const { keccakBig } = await import('../../src/util/hash.ts');
    const comp = await compileFile(file, { cacheDir });
    const contract = selectContract(comp, 'Ledger');
    const spec = parseRelationFlag('--blocks', 'withdraw(uint256): amount > balances[msg.sender]').condition;
    const [c] = await lowerConditions([spec], comp, contract, { file, cacheDir, contract: 'Ledger' });
    const sender = 0xa11cen;
    const word = (x: bigint) => x.toString(16).padStart(64, '0');
    const slot = keccakBig(Uint8Array.from(Buffer.from(word(sender) + word(0n), 'hex')));
    const run = (amount: bigint, balance: bigint, value = 0n) =>
      interpret(c!.fn, { calldata: '0x2e1a7d4d' + word(amount), sender, value, timestamp: 1n, number: 1n, storage: new Map([[slot, balance]]) });
    expect(run(5n, 3n).returnData).toBe('0x' + word(1n));
    expect(run(3n, 3n).returnData).toBe('0x' + word(0n));
    // No value check: a condition is about the call, whatever it sends.
    expect(run(5n, 3n, 7n).status).toBe('success');
  });
});

describe('entry points named in a spec file', () => {
  const sigs = new Set(['withdraw(uint256)', 'withdraw(uint256,address)', 'deposit()', 'owner()']);
  it('resolves a unique bare name and keeps a signature', () => {
    expect(resolveEntryPoint('deposit', sigs, 'x')).toBe('deposit()');
    expect(resolveEntryPoint('withdraw( uint256 )', sigs, 'x')).toBe('withdraw(uint256)');
  });
  it('refuses unknown and overloaded names with what to write', () => {
    expect(() => resolveEntryPoint('nothere', sigs, 'a.spec:2:3')).toThrow('a.spec:2:3: neither version has a function named nothere');
    expect(() => resolveEntryPoint('withdraw', sigs, 'a.spec:2:3')).toThrow('withdraw is overloaded (withdraw(uint256), withdraw(uint256,address)); write the parameter types');
    expect(() => resolveEntryPoint('deposit(uint256)', sigs, 'a.spec:2:3')).toThrow('neither version has an entry point deposit(uint256)');
  });
});
