import type { CheckResult } from '../../src/api.ts';
import type { Counterexample, EntryPointResult, ObligationRecord } from '../../src/verdicts/types.ts';

/** Hand-built results for the presentation tests: every verdict kind, one full counterexample. */

const h = (c: string) => c.repeat(64);

export const withdrawCex: Counterexample = {
  entryPoint: 'withdraw(uint256)',
  args: [{ name: 'amount', type: 'uint256', value: '5' }],
  env: { 'msg.sender': '0x0000000000000000000000000000000000000001', 'msg.value': '0' },
  calldata: '0x2e1a7d4d0000000000000000000000000000000000000000000000000000000000000005',
  preState: [
    { name: 'balances[0x0000000000000000000000000000000000000001]', slot: '0xada5013122d395ba3c54772283fb069b10426056ef8ca54750cb9bb552a59e7d', value: '5' },
    { name: 'totalDeposits', slot: '0x1', value: '3' },
  ],
  old: {
    status: 'success',
    returnValues: [],
    storageWrites: [{ name: 'balances[0x0000000000000000000000000000000000000001]', slot: '0xada5013122d395ba3c54772283fb069b10426056ef8ca54750cb9bb552a59e7d', value: '0' }],
    events: [
      {
        signature: 'Withdrawn(address,uint256)',
        topics: ['0x' + h('a'), '0x0000000000000000000000000000000000000000000000000000000000000001'],
        data: ['0x0000000000000000000000000000000000000000000000000000000000000005'],
        args: [
          { type: 'address', value: '0x0000000000000000000000000000000000000001' },
          { type: 'uint256', value: '5' },
        ],
      },
    ],
  },
  new: {
    status: 'revert',
    returnValues: [],
    revert: { description: 'Panic(0x11)', data: '0x4e487b710000000000000000000000000000000000000000000000000000000000000011' },
    storageWrites: [],
    events: [],
  },
  differs: ['success', 'revertData', 'storage', 'logs'],
};

export const entryPoints: EntryPointResult[] = [
  {
    selector: '0x70a08231',
    signature: 'balanceOf(address)',
    kind: 'function',
    verdict: { kind: 'equivalent', how: 'identical-ir' },
    location: { file: 'old.sol', line: 26, col: 5, astId: 40 },
    durationMs: 2.4,
    solverCalls: 0,
  },
  {
    selector: '0xd0e30db0',
    signature: 'deposit()',
    kind: 'function',
    verdict: { kind: 'equivalent', how: 'solver' },
    durationMs: 812.6,
    solverCalls: 1,
  },
  {
    selector: '0x2e1a7d4d',
    signature: 'withdraw(uint256)',
    kind: 'function',
    verdict: { kind: 'different', reason: 'new reverts where old succeeds', counterexample: withdrawCex },
    location: { file: 'old.sol', line: 20, col: 5, astId: 30 },
    durationMs: 1500,
    solverCalls: 2,
  },
  {
    selector: '0x12345678',
    signature: 'slow(uint256)',
    kind: 'function',
    verdict: { kind: 'unknown', reason: 'solver timeout after 20000 ms' },
    durationMs: 20001,
    solverCalls: 1,
  },
  {
    selector: null,
    signature: 'fallback()',
    kind: 'fallback',
    verdict: { kind: 'unsupported', construct: 'inline assembly', loc: { file: 'new.sol', line: 44, col: 9, astId: 77 } },
    durationMs: 0.2,
    solverCalls: 0,
  },
];

export const obligations: ObligationRecord[] = [
  { id: 'eq:balanceOf(address)', kind: 'equivalence', entryPoint: 'balanceOf(address)', verdict: 'equivalent', durationMs: 0.1 },
  { id: 'eq:deposit()', kind: 'equivalence', entryPoint: 'deposit()', verdict: 'equivalent', smtSha256: h('1'), solver: 'z3-wasm 5.1.0', durationMs: 800 },
  { id: 'eq:withdraw(uint256)', kind: 'equivalence', entryPoint: 'withdraw(uint256)', verdict: 'different', smtSha256: h('2'), solver: 'z3-wasm 5.1.0', durationMs: 1400 },
  { id: 'eq:slow(uint256)', kind: 'equivalence', entryPoint: 'slow(uint256)', verdict: 'unknown', smtSha256: h('3'), solver: 'z3-wasm 5.1.0', durationMs: 20000 },
  { id: 'eq:fallback()', kind: 'equivalence', entryPoint: 'fallback()', verdict: 'unsupported', durationMs: 0 },
];

export function sampleResult(over: Partial<CheckResult> = {}): CheckResult {
  return {
    tool: { name: 'patchproof', version: '0.1.0' },
    compiler: { version: '0.8.30+commit.73712a01', settings: { optimizer: { enabled: false }, evmVersion: 'cancun' } },
    old: {
      file: 'fixtures/example/old.sol',
      contract: 'Vault',
      sources: [{ path: 'old.sol', sha256: h('b') }],
      runtimeKeccak: '0x' + h('c'),
      runtimeBytecode: '0x6080',
      compileMs: 100,
    },
    new: {
      file: 'fixtures/example/new.sol',
      contract: 'Vault',
      sources: [
        { path: 'new.sol', sha256: h('d') },
        { path: 'lib/Math.sol', sha256: h('e') },
      ],
      runtimeKeccak: '0x' + h('f'),
      runtimeBytecode: '0x6080',
      compileMs: 120,
    },
    overall: 'different',
    entryPoints,
    obligations,
    queries: new Map([['eq:deposit()', '(declare-const x (_ BitVec 8))']]),
    timings: { compileMs: 220.4, encodeMs: 12.2, solveMs: 22200.9, totalMs: 22500.5 },
    assumptions: ['gas is not compared', 'external calls answer the same in both versions'],
    upgrade: { verdict: 'compatible', findings: [] },
    ...over,
  };
}

/** A result where everything is proved equivalent. */
export function allEquivalent(): CheckResult {
  const eps = entryPoints.slice(0, 2);
  return sampleResult({ overall: 'equivalent', entryPoints: eps, obligations: obligations.slice(0, 2) });
}
