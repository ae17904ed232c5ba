import { describe, expect, it } from 'vitest';
import { encodeAbiParameters, keccak256 } from 'viem';
import { dispatch, interpret, InterpreterError, mappingSlot, type ConcreteInputs } from '../../src/ir/interp.ts';
import { ADDRESS, BOOL, U256, type Block, type Instr, type IrContract, type IrFunction, type Terminator, type ValueType } from '../../src/ir/types.ts';
import { noLoc } from '../../src/util/loc.ts';

/** The interpreter's own contract: exact encodings, phis by predecessor, and loud refusals. */

const loc = noLoc;
const I8: ValueType = { kind: 'int', bits: 8 };
const B4: ValueType = { kind: 'bytes', size: 4 };

function fn(blocks: Block[], extra: Partial<IrFunction> = {}): IrFunction {
  return { kind: 'function', name: 'f', signature: 'f()', selector: 0x26121ff0n, payable: false, params: [], returns: [], loc, implicit: false, body: { ok: true, blocks, entry: 0 }, ...extra };
}
const block = (id: number, instrs: Instr[], term: Terminator): Block => ({ id, instrs, term });
const konst = (id: number, type: ValueType, value: bigint): Instr => ({ kind: 'const', id, type, value, loc });
const inputs = (over: Partial<ConcreteInputs> = {}): ConcreteInputs => ({ calldata: '0x26121ff0', sender: 0x1234n, value: 0n, timestamp: 1n, number: 2n, storage: new Map(), ...over });

describe('interpret', () => {
  it('encodes return words by type: signed extended, bytesN left-aligned, bool 0/1', () => {
    const f = fn([
      block(0, [konst(0, I8, 0xffn), konst(1, B4, 0xdeadbeefn), konst(2, BOOL, 1n)], {
        kind: 'return',
        values: [
          { kind: 'value', value: 0, type: I8 },
          { kind: 'value', value: 1, type: B4 },
          { kind: 'value', value: 2, type: BOOL },
        ],
        loc,
      }),
    ]);
    const r = interpret(f, inputs());
    expect(r.status).toBe('success');
    expect(r.returnData).toBe('0x' + 'f'.repeat(64) + 'deadbeef' + '0'.repeat(56) + '0'.repeat(63) + '1');
  });

  it('takes each phi operand from the block it came from', () => {
    const f = fn([
      block(0, [{ kind: 'env', id: 0, name: 'block.number', type: U256, loc }, konst(1, U256, 2n), { kind: 'bin', id: 2, op: 'eq', a: 0, b: 1, type: U256, loc }], { kind: 'br', cond: 2, then: 1, else: 2, loc }),
      block(1, [konst(3, U256, 10n)], { kind: 'jmp', target: 3, loc }),
      block(2, [konst(4, U256, 20n)], { kind: 'jmp', target: 3, loc }),
      block(3, [{ kind: 'phi', id: 5, type: U256, incoming: [{ block: 1, value: 3 }, { block: 2, value: 4 }], loc }], { kind: 'return', values: [{ kind: 'value', value: 5, type: U256 }], loc }),
    ]);
    expect(BigInt(interpret(f, inputs({ number: 2n })).returnData)).toBe(10n);
    expect(BigInt(interpret(f, inputs({ number: 3n })).returnData)).toBe(20n);
  });

  it('writes mapping entries at keccak256(key . slot) and keeps packed neighbours', () => {
    const f = fn([
      block(0, [{ kind: 'env', id: 0, name: 'msg.sender', type: ADDRESS, loc }, konst(1, BOOL, 1n), konst(2, U256, 7n)], {
        kind: 'jmp',
        target: 1,
        loc,
      }),
      block(
        1,
        [
          { kind: 'sstore', slot: { root: 3n, keys: [{ value: 0, type: ADDRESS }] }, offset: 0, type: U256, value: 2, loc },
          { kind: 'sstore', slot: { root: 0n, keys: [] }, offset: 21, type: BOOL, value: 1, loc },
        ],
        { kind: 'return', values: [], loc },
      ),
    ]);
    const r = interpret(f, inputs({ storage: new Map([[0n, 0xabn]]) }));
    const slot = BigInt(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], ['0x0000000000000000000000000000000000001234', 3n])));
    expect(mappingSlot(3n, 0x1234n)).toBe(slot);
    expect(r.storage.get(slot)).toBe(7n);
    expect(r.storage.get(0n)).toBe((1n << 168n) | 0xabn);
    expect([...r.written]).toEqual([slot, 0n]);
  });

  it('reverts with the guard’s data and leaves storage and logs as they were', () => {
    const f = fn([
      block(
        0,
        [
          konst(0, U256, 1n),
          { kind: 'sstore', slot: { root: 0n, keys: [] }, offset: 0, type: U256, value: 0, loc },
          { kind: 'emit', signature: 'E()', topics: [{ kind: 'const', word: 5n }], data: [], loc },
          konst(1, BOOL, 0n),
          { kind: 'guard', cond: 1, revert: { selector: 0x4e487b71n, words: [{ kind: 'const', word: 0x11n }], description: 'Panic(0x11)' }, loc },
        ],
        { kind: 'return', values: [], loc },
      ),
    ]);
    const r = interpret(f, inputs({ storage: new Map([[0n, 9n]]) }));
    expect(r).toMatchObject({ status: 'revert', revertData: '0x4e487b71' + (0x11).toString(16).padStart(64, '0'), logs: [] });
    expect(r.storage.get(0n)).toBe(9n);
  });

  it('refuses what it cannot run instead of guessing', () => {
    const unsupported = fn([], { body: { ok: false, unsupported: { construct: 'loop', loc } } });
    expect(() => interpret(unsupported, inputs())).toThrow(InterpreterError);
    const imm = fn([block(0, [{ kind: 'immutable', id: 0, name: 'cap', type: U256, loc }], { kind: 'return', values: [{ kind: 'value', value: 0, type: U256 }], loc })]);
    expect(() => interpret(imm, inputs())).toThrow(/no value given for immutable cap/);
    expect(interpret(imm, inputs({ immutables: new Map([['cap', 5n]]) })).returnData).toBe('0x' + '5'.padStart(64, '0'));
    const loop = fn([block(0, [], { kind: 'jmp', target: 1, loc }), block(1, [], { kind: 'jmp', target: 0, loc })]);
    expect(() => interpret(loop, inputs())).toThrow(/cycle/);
    const div = fn([block(0, [konst(0, U256, 1n), konst(1, U256, 0n), { kind: 'bin', id: 2, op: 'div', a: 0, b: 1, type: U256, loc }], { kind: 'return', values: [], loc })]);
    expect(() => interpret(div, inputs())).toThrow(/by zero reached without a guard/);
    expect(() => interpret(imm, inputs({ calldata: '0x123' }))).toThrow(/whole bytes/);
  });
});

describe('dispatch', () => {
  const f = fn([]);
  const receive = fn([], { kind: 'receive', signature: 'receive()', selector: null });
  const fallback = fn([], { kind: 'fallback', signature: 'fallback()', selector: null });
  const c: IrContract = { name: 'C', file: 'C.sol', functions: [f, receive, fallback], storage: [], events: new Map(), errors: new Map() };
  it('follows solc’s dispatcher: selector, else receive for empty calldata, else fallback', () => {
    expect(dispatch(c, '0x26121ff0')).toBe(f);
    expect(dispatch(c, '0x26121ff0' + '00'.repeat(40))).toBe(f);
    expect(dispatch(c, '0x')).toBe(receive);
    expect(dispatch(c, '0x2612')).toBe(fallback);
    expect(dispatch(c, '0x26121ff1')).toBe(fallback);
  });
});
