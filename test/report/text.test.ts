import { describe, expect, it } from 'vitest';
import { formatText, summaryLine } from '../../src/report/text.ts';
import { allEquivalent, sampleResult } from './sample.ts';

const lines = (s: string) => s.split('\n');
const lineWith = (text: string, ...needles: string[]) => {
  const found = lines(text).find((l) => needles.every((n) => l.includes(n)));
  expect(found, `no line containing ${needles.map((n) => JSON.stringify(n)).join(' and ')} in:\n${text}`).toBeDefined();
  return found!;
};

describe('formatText', () => {
  const text = formatText(sampleResult());

  it('starts with a header naming both versions and the compiler', () => {
    expect(lines(text)[0]).toBe('patchproof 0.1.0 (solc 0.8.30+commit.73712a01)');
    lineWith(text, 'old: fixtures/example/old.sol', 'contract Vault', '0x' + 'c'.repeat(64));
    lineWith(text, 'new: fixtures/example/new.sol', 'contract Vault', '0x' + 'f'.repeat(64));
  });

  it('gives one line per entry point with verdict, selector, duration, solver calls and how or why', () => {
    expect(lineWith(text, 'balanceOf(address)', '0x70a08231')).toMatch(/^ {2}equivalent +balanceOf\(address\) +0x70a08231 +2 ms +0 solver calls +proved by identical IR$/);
    lineWith(text, 'equivalent', 'deposit()', '0xd0e30db0', '813 ms', '1 solver call ', 'proved by solver');
    lineWith(text, 'different', 'withdraw(uint256)', '0x2e1a7d4d', '1500 ms', '2 solver calls', 'new reverts where old succeeds');
    lineWith(text, 'unknown', 'slow(uint256)', 'solver timeout after 20000 ms');
    lineWith(text, 'unsupported', 'fallback()', 'inline assembly at new.sol:44:9');
  });

  it('pads verdicts and columns so the table lines up', () => {
    const table = lines(text).filter((l) => /^ {2}(equivalent|different|unknown|unsupported) /.test(l));
    expect(table).toHaveLength(5);
    const sigCol = table.map((l) => l.indexOf(l.trim().split(/\s+/)[1]!));
    expect(new Set(sigCol).size).toBe(1);
    const fallback = table.find((l) => l.includes('fallback()'))!;
    expect(fallback).toMatch(/fallback\(\) +- +0 ms/);
  });

  it('lays out the counterexample: arguments, environment, pre-state, both executions, what differs', () => {
    lineWith(text, 'counterexample for withdraw(uint256) [0x2e1a7d4d]');
    lineWith(text, 'differs in: success/revert, revert data, storage, events');
    lineWith(text, '    amount: uint256 = 5');
    lineWith(text, 'msg.sender = 0x0000000000000000000000000000000000000001');
    lineWith(text, 'msg.value', '= 0');
    lineWith(text, 'totalDeposits @ 0x1 = 3');
    lineWith(text, 'balances[0x0000000000000000000000000000000000000001] @ 0xada50131', '= 5');

    const oldAt = lines(text).indexOf('  old version:');
    const newAt = lines(text).indexOf('  new version:');
    expect(oldAt).toBeGreaterThan(0);
    expect(newAt).toBeGreaterThan(oldAt);
    const oldPart = lines(text).slice(oldAt, newAt).join('\n');
    const newPart = lines(text).slice(newAt).join('\n');
    expect(oldPart).toContain('status: success  [differs]');
    expect(oldPart).toContain('returns: (nothing)');
    expect(oldPart).toMatch(/storage writes:  \[differs\]\n {6}balances\[0x0+1\] @ 0xada5\w+ = 0/);
    expect(oldPart).toContain('Withdrawn(address 0x0000000000000000000000000000000000000001, uint256 5)');
    expect(newPart).toContain('status: revert  [differs]');
    expect(newPart).toContain('revert: Panic(0x11)  (data 0x4e487b71');
    expect(newPart).toContain('storage writes: (none)  [differs]');
    expect(newPart).toContain('events: (none)  [differs]');
  });

  it('ends with the summary line and the assumptions', () => {
    lineWith(text, '5 entry points: 2 equivalent, 1 different, 1 unknown, 1 unsupported; overall: different; gas is not compared');
    const at = lines(text).indexOf('assumptions:');
    expect(at).toBeGreaterThan(0);
    expect(lines(text).slice(at + 1, at + 3)).toEqual(['  - gas is not compared', '  - external calls answer the same in both versions']);
  });

  it('says nothing about counterexamples when everything is equivalent', () => {
    const t = formatText(allEquivalent());
    expect(t).not.toContain('counterexample');
    expect(summaryLine(allEquivalent())).toBe('2 entry points: 2 equivalent, 0 different, 0 unknown, 0 unsupported; overall: equivalent; gas is not compared');
  });

  it('handles a different verdict without a counterexample and no entry points at all', () => {
    const r = sampleResult({
      entryPoints: [{ selector: '0xaabbccdd', signature: 'gone()', kind: 'function', verdict: { kind: 'different', reason: 'only in old' }, durationMs: 0, solverCalls: 0 }],
    });
    const t = formatText(r);
    lineWith(t, 'different', 'gone()', 'only in old');
    expect(t).not.toContain('counterexample');
    expect(formatText(sampleResult({ entryPoints: [] }))).toContain('no entry points');
  });

  it('uses ANSI colour only when asked', () => {
    expect(text).not.toContain('\x1b[');
    const coloured = formatText(sampleResult(), { color: true });
    expect(coloured).toContain('\x1b[32mequivalent\x1b[0m');
    expect(coloured).toContain('\x1b[31mdifferent\x1b[0m');
    expect(coloured).toContain('\x1b[33munsupported\x1b[0m');
  });

  it('shortens long revert data in text', () => {
    const cex = sampleResult().entryPoints[2]!.verdict;
    if (cex.kind !== 'different' || !cex.counterexample) throw new Error('sample changed');
    const data = '0x08c379a0' + '0'.repeat(192);
    const r = sampleResult({
      entryPoints: [{
        ...sampleResult().entryPoints[2]!,
        verdict: { ...cex, counterexample: { ...cex.counterexample, new: { ...cex.counterexample.new, revert: { description: 'Error("no")', data } } } },
      }],
    });
    lineWith(formatText(r), 'revert: Error("no")', '… (100 bytes)');
  });
});
