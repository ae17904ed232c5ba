import { lowerScratchHash } from './yulhash.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { BOOL, U256, type BinOp, type ValueId, type ValueType } from '../types.ts';
import type { Exit, VarKey } from './builder.ts';
import { unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, type FunctionLowerer, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';
import { cleanStackWord } from './yulclean.ts';
import { newRef, retDataCall } from './retdata.ts';

/**
 * Inline assembly: a sound subset of Yul, lowered to the same wrapping IR operations `unchecked` code
 * uses, with the EVM's own semantics made explicit (division and modulo by zero give 0, addmod/mulmod
 * compute their sum or product at 512 bits, comparisons and shifts on whole words).
 *
 * The subset: blocks of `let x := e`, `x := e`, `if`, `switch`, nested blocks, `revert(0, 0)` and the
 * re-raise of a call's returned bytes (`mload(data)` of such a variable, `revert(add(32, data), size)`), whose
 * expressions are literals, identifiers and the EVM's pure builtins (PURE below). An identifier is a
 * Yul local, or through `externalReferences` a Solidity local, parameter or return variable of a 256-bit
 * value type (uint256, int256, bytes32: narrower types have no defined high bits in assembly, so they
 * are refused), or a Solidity `constant` of an unsigned integer type (read only). Everything else —
 * memory, storage, calls, other reverts and returns, `for`, Yul functions, `leave`/`break`/`continue` —
 * is `unsupported` at the first Yul statement or expression outside the subset.
 */

const I256: ValueType = { kind: 'int', bits: 256 };
/** Wide enough for addmod's sum and mulmod's product, so both are exact before the reduction. */
const U512: ValueType = { kind: 'uint', bits: 512 };

/** A Yul value: a 256-bit word, or a comparison's bool kept as one until a word is needed (0 or 1). */
type YVal = { readonly kind: 'word'; readonly v: ValueId; readonly c?: bigint } | { readonly kind: 'bool'; readonly v: ValueId };

/** Builtins of the subset and their argument counts. */
const PURE: Readonly<Record<string, number>> = {
  add: 2, sub: 2, mul: 2, div: 2, sdiv: 2, mod: 2, smod: 2, exp: 2, not: 1, lt: 2, gt: 2, slt: 2, sgt: 2, eq: 2, iszero: 1,
  and: 2, or: 2, xor: 2, byte: 2, shl: 2, shr: 2, sar: 2, addmod: 3, mulmod: 3, signextend: 2,
};

/** A Solidity variable an identifier refers to, from the assembly block's `externalReferences`. */
interface ExternalRef {
  readonly declaration: number;
  readonly isSlot?: boolean;
  readonly isOffset?: boolean;
  readonly suffix?: string;
  readonly valueSize?: number;
}

class YulLowerer {
  /** Yul locals in scope, innermost block last: name → environment key. */
  private readonly scopes: Map<string, VarKey>[] = [];
  private readonly refs = new Map<string, ExternalRef>();

  constructor(
    private readonly L: FunctionLowerer,
    asm: AstNode,
  ) {
    for (const r of (asm.externalReferences ?? []) as (ExternalRef & { src: string })[]) this.refs.set(r.src, r);
  }

  private loc(n: AstNode): SrcLoc {
    return this.L.ctx.loc(n);
  }

  /** An expression of the subset as a word (for yulhash.ts). */
  wordOf(e: AstNode): ValueId {
    return this.word(this.expr(e), this.loc(e));
  }

  /** `id := v` as the subset assigns (for yulhash.ts). */
  assignWord(id: AstNode, v: ValueId): void {
    this.assign(id, v);
  }

  // ------------------------------------------------------------ statements

  block(b: AstNode): void {
    this.scopes.push(new Map());
    for (const s of b.statements as AstNode[]) {
      if (this.L.b.dead) break;
      this.stmt(s);
    }
    const scope = this.scopes.pop()!;
    for (const key of scope.values()) this.L.b.env.delete(key);
  }

  private stmt(s: AstNode): void {
    const loc = this.loc(s);
    switch (s.nodeType) {
      case 'YulBlock':
        return this.block(s);
      case 'YulVariableDeclaration': {
        const vars = s.variables as AstNode[];
        if (vars.length !== 1) unsupported('inline assembly: declaration of several variables', loc);
        const v = s.value ? this.word(this.expr(s.value), loc) : this.L.const(U256, 0n, loc).v;
        const key = this.L.freshKey(`yul:${vars[0].name}`);
        this.scopes.at(-1)!.set(vars[0].name, key);
        this.L.b.env.set(key, { v, t: U256 });
        return;
      }
      case 'YulAssignment': {
        const names = s.variableNames as AstNode[];
        if (names.length !== 1) unsupported('inline assembly: assignment to several variables', loc);
        const v = this.word(this.expr(s.value), loc);
        return this.assign(names[0], v);
      }
      case 'YulExpressionStatement':
        return this.exprStmt(s.expression, loc);
      case 'YulIf': {
        const c = this.cond(this.expr(s.condition), loc);
        this.branches([{ cond: c, body: s.body }], null, loc);
        return;
      }
      case 'YulSwitch':
        return this.switchStmt(s, loc);
      case 'YulForLoop':
        unsupported('inline assembly: for loop', loc);
      case 'YulFunctionDefinition':
        unsupported('inline assembly: function definition', loc);
      case 'YulLeave':
      case 'YulBreak':
      case 'YulContinue':
        unsupported(`inline assembly: ${String(s.nodeType).slice(3).toLowerCase()}`, loc);
      default:
        unsupported(`inline assembly: ${s.nodeType}`, loc);
    }
  }

  /**
   * `revert(0, 0)`: revert with empty data, as Solidity's `revert()`; and the re-raise of a call's
   * returned bytes `revert(add(32, data), mload(data))` (see `reraise`).
   */
  private exprStmt(e: AstNode, loc: SrcLoc): void {
    if (e.nodeType === 'YulFunctionCall' && e.functionName.name === 'revert') {
      const args = e.arguments as AstNode[];
      const zero = (a: AstNode | undefined): boolean => a?.nodeType === 'YulLiteral' && a.kind === 'number' && BigInt(a.value) === 0n;
      if (args.length === 2 && zero(args[0]) && zero(args[1])) return this.L.b.terminate({ kind: 'revert', data: EMPTY_REVERT, loc });
      const call = args.length === 2 ? this.reraise(args[0]!, args[1]!, loc) : null;
      if (call !== null) return this.L.b.terminate({ kind: 'revert', data: { selector: null, words: [], description: 'returned bytes of the call, re-raised', bubble: call, raw: true }, loc });
      unsupported('inline assembly: revert with data other than a call\'s returned bytes (revert(add(32, data), mload(data)))', loc);
    }
    unsupported(`inline assembly: ${e.nodeType === 'YulFunctionCall' ? e.functionName.name : e.nodeType} as a statement`, loc);
  }

  /**
   * OpenZeppelin's re-raise of a failed call's revert data, `revert(add(32, data), mload(data))` (either
   * operand order of `add`, the size also through a Yul local holding `mload(data)`), where `data` is a
   * Solidity `bytes memory` variable known to hold exactly the call's returned bytes (retdata.ts): memory
   * at `data` is their length word, then the bytes. The call, or null for any other operands.
   */
  private reraise(ptr: AstNode, size: AstNode, loc: SrcLoc): ValueId | null {
    if (ptr.nodeType !== 'YulFunctionCall' || ptr.functionName.name !== 'add') return null;
    const [a, b] = ptr.arguments as AstNode[];
    const is32 = (x: AstNode | undefined): boolean => x?.nodeType === 'YulLiteral' && x.kind === 'number' && BigInt(x.value) === 32n;
    const base = is32(a) ? b : is32(b) ? a : undefined;
    const call = base ? this.returnedBytes(base) : null;
    if (call === null) return null;
    // The size: any value the IR knows to be this call's returndatasize (mload(data), or a local holding it).
    const n = this.word(this.expr(size), loc);
    const d = this.L.b.definition(n);
    return d?.kind === 'callrds' && d.call === call ? call : null;
  }

  /** The call whose returned bytes the Yul identifier `id` (a Solidity `bytes memory` variable) holds, or null. */
  private returnedBytes(id: AstNode): ValueId | null {
    if (id?.nodeType !== 'YulIdentifier') return null;
    const ref = this.refs.get(id.src);
    if (!ref || ref.isSlot || ref.isOffset || ref.suffix) return null;
    if (this.local(id.name) !== undefined) return null;
    return retDataCall(this.L, { nodeType: 'Identifier', referencedDeclaration: ref.declaration }, this.loc(id));
  }

  /** `switch e case c { } … default { }`: the cases tested in order against e, evaluated once. */
  private switchStmt(s: AstNode, loc: SrcLoc): void {
    const e = this.word(this.expr(s.expression), loc);
    const cases: { cond: ValueId; body: AstNode }[] = [];
    let fallback: AstNode | null = null;
    for (const c of s.cases as AstNode[]) {
      if (c.value === 'default') {
        fallback = c.body;
        continue;
      }
      const lit = this.literal(c.value);
      const k = this.L.const(U256, lit, this.loc(c));
      cases.push({ cond: this.L.binOp('eq', { v: e, t: U256 }, k, this.loc(c), BOOL).v, body: c.body });
    }
    this.branches(cases, fallback, loc);
  }

  /** if c1 {b1} else if c2 {b2} … else {fallback}, joined with phis. */
  private branches(cases: readonly { cond: ValueId; body: AstNode }[], fallback: AstNode | null, loc: SrcLoc): void {
    const b = this.L.b;
    const exits: (Exit | null)[] = [];
    for (const c of cases) {
      const env = new Map(b.env);
      const br = b.branch(c.cond, loc);
      b.resume(br.then, env);
      this.block(c.body);
      exits.push(b.leave());
      b.resume(br.else, env);
    }
    if (fallback) this.block(fallback);
    exits.push(b.leave());
    b.join(exits, loc);
  }

  private assign(id: AstNode, v: ValueId): void {
    const loc = this.loc(id);
    const key = this.local(id.name);
    if (key !== undefined && !this.refs.has(id.src)) {
      this.L.b.env.set(key, { v, t: U256 });
      return;
    }
    const { decl, t } = this.solidityVar(id, loc, true);
    if (decl.constant) unsupported(`inline assembly: assignment to constant ${decl.name}`, loc);
    this.L.b.env.set(decl.id, { v: this.L.convert({ v, t: U256 }, t, loc).v, t });
  }

  // ------------------------------------------------------------ expressions

  private expr(e: AstNode): YVal {
    const loc = this.loc(e);
    switch (e.nodeType) {
      case 'YulLiteral': {
        const c = this.literal(e);
        return { kind: 'word', v: this.L.const(U256, c, loc).v, c };
      }
      case 'YulIdentifier':
        return this.identifier(e, loc);
      case 'YulFunctionCall':
        return this.call(e, loc);
      default:
        unsupported(`inline assembly: ${e.nodeType}`, loc);
    }
  }

  private literal(e: AstNode): bigint {
    const loc = this.loc(e);
    if (e.kind === 'bool') return e.value === 'true' ? 1n : 0n;
    if (e.kind !== 'number') unsupported(`inline assembly: ${e.kind} literal`, loc);
    const c = BigInt(e.value);
    invariant(c >= 0n && c < 1n << 256n, 'Yul number literal out of range');
    return c;
  }

  private identifier(e: AstNode, loc: SrcLoc): YVal {
    const key = this.local(e.name);
    if (key !== undefined && !this.refs.has(e.src)) {
      const bound = this.L.b.env.get(key);
      invariant(bound !== undefined, `Yul local ${e.name} unbound`);
      return { kind: 'word', v: bound.v };
    }
    const { decl, t } = this.solidityVar(e, loc);
    if (decl.constant) {
      const v = this.L.expr(decl.value, t);
      return { kind: 'word', v: this.L.convert(v, U256, loc).v };
    }
    const bound = this.L.b.env.get(decl.id);
    invariant(bound !== undefined, `Solidity variable ${decl.name} unbound`);
    return { kind: 'word', v: this.cleanWord({ v: bound.v, t: bound.t }, loc).v };
  }

  /** The clean stack word of a value: zero-extended (unsigned, address), sign-extended (signed), bool 0/1, bytesN left-aligned. */
  private cleanWord(x: Val, loc: SrcLoc): Val {
    const L = this.L;
    if (x.t.kind === 'bool') return this.select(x, L.const(U256, 1n, loc), L.const(U256, 0n, loc), loc);
    if (x.t.kind === 'bytes') return L.convert(L.convert(x, { kind: 'bytes', size: 32 }, loc), U256, loc);
    if (x.t.kind === 'int') return L.convert(L.convert(x, I256, loc), U256, loc);
    return L.convert(x, U256, loc);
  }

  private local(name: string): VarKey | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const k = this.scopes[i]!.get(name);
      if (k !== undefined) return k;
    }
    return undefined;
  }

  /**
   * The Solidity variable a Yul identifier refers to, with its type. Only locals bound in the SSA
   * environment (parameters, return variables, locals) of a 256-bit value type, and constants of an
   * unsigned integer type (whose word solc pushes is the constant's value), are in the subset.
   */
  private solidityVar(id: AstNode, loc: SrcLoc, write = false): { decl: AstNode; t: ValueType } {
    const ref = this.refs.get(id.src);
    if (!ref) unsupported(`inline assembly: identifier ${id.name}`, loc);
    if (ref.isSlot || ref.isOffset || ref.suffix || (ref.valueSize ?? 1) !== 1) unsupported(`inline assembly: ${id.name}${ref.suffix ? '.' + ref.suffix : ''} (a storage or calldata location)`, loc);
    const decl = this.L.ctx.node(ref.declaration);
    if (decl?.nodeType !== 'VariableDeclaration') unsupported(`inline assembly: reference to ${id.name}`, loc);
    const text: string = decl.typeDescriptions?.typeString ?? '';
    const st = parseTypeString(text);
    if (st.kind !== 'value') unsupported(`inline assembly: variable ${id.name} of type ${text}`, loc);
    const t = st.type;
    if (decl.constant) {
      if (t.kind !== 'uint') unsupported(`inline assembly: constant ${id.name} of type ${text}`, loc);
      return { decl, t };
    }
    if (decl.stateVariable) unsupported(`inline assembly: state variable ${id.name}`, loc);
    if (!this.L.b.env.has(decl.id)) unsupported(`inline assembly: variable ${id.name}`, loc);
    // Narrow types: assembly sees (and writes) the whole stack word, whose high bits solc leaves as they
    // come (dirty after unchecked arithmetic, `~`, `<<`, internal calls). Reads only where the word is
    // certainly clean (yulclean.ts); writes never: solc uses the word later without always cleaning it.
    const wide = (t.kind === 'uint' || t.kind === 'int') ? t.bits === 256 : t.kind === 'bytes' && t.size === 32;
    if (!wide && write) unsupported(`inline assembly: assignment to variable ${id.name} of type ${text} (narrower than 256 bits: assembly writes the whole stack word, which solc then uses without always cleaning it)`, loc);
    if (!wide && !cleanStackWord(this.L, decl)) unsupported(`inline assembly: variable ${id.name} of type ${text} whose stack word may have dirty high bits (narrower than 256 bits; read only when it is an entry point's parameter or a local initialised from a clean value, never assigned)`, loc);
    return { decl, t };
  }

  private call(e: AstNode, loc: SrcLoc): YVal {
    const name: string = e.functionName.name;
    if (name === 'mload') {
      // Only the length word of a call's returned bytes: its returndatasize.
      const call = this.returnedBytes((e.arguments as AstNode[])[0]!);
      if (call === null) unsupported('inline assembly: mload other than the length of a call\'s returned bytes', loc);
      return { kind: 'word', v: newRef(this.L, call, loc).v };
    }
    // Own properties only: a user-defined Yul function may be called `toString`.
    const arity = Object.hasOwn(PURE, name) ? PURE[name] : undefined;
    if (arity === undefined) unsupported(`inline assembly: ${name}`, loc);
    const raw = e.arguments as AstNode[];
    invariant(raw.length === arity, `Yul ${name} arity`);
    // Yul evaluates arguments right to left; every builtin here is pure, so the order is not observable.
    const args = raw.map((a) => this.expr(a));
    return this.builtin(name, args, loc);
  }

  private builtin(name: string, args: readonly YVal[], loc: SrcLoc): YVal {
    const L = this.L;
    // Each argument becomes a word at most once (a bool's 0/1 select is emitted on first use).
    const words: (ValueId | undefined)[] = [];
    const w = (i: number): Val => ({ v: (words[i] ??= this.word(args[i]!, loc)), t: U256 });
    const lit = (i: number): bigint | undefined => { const a = args[i]!; return a.kind === 'word' ? a.c : undefined; };
    const word = (x: Val): YVal => ({ kind: 'word', v: x.v });
    const bool = (x: Val): YVal => ({ kind: 'bool', v: x.v });
    const op = (o: BinOp, a: Val, b: Val): Val => L.binOp(o, a, b, loc);
    const cmp = (o: BinOp, a: Val, b: Val): YVal => bool(L.binOp(o, a, b, loc, BOOL));
    const signed = (x: Val): Val => L.convert(x, I256, loc);
    const unsigned = (x: Val): Val => L.convert(x, U256, loc);
    switch (name) {
      case 'add':
        return word(op('add', w(0), w(1)));
      case 'sub':
        return word(op('sub', w(0), w(1)));
      case 'mul':
        return word(op('mul', w(0), w(1)));
      case 'div':
        return word(op('div0', w(0), w(1)));
      case 'sdiv':
        return word(unsigned(op('div0', signed(w(0)), signed(w(1)))));
      case 'mod':
        return word(op('mod0', w(0), w(1)));
      case 'smod':
        return word(unsigned(op('mod0', signed(w(0)), signed(w(1)))));
      case 'exp':
        return word(op('exp', w(0), w(1)));
      case 'not': {
        // not(0) (the all-ones word) stays a known constant, so a divisor built from it needs no zero test.
        const c = lit(0);
        if (c !== undefined) {
          const v = ~c & ((1n << 256n) - 1n);
          return { kind: 'word', v: L.const(U256, v, loc).v, c: v };
        }
        return word({ v: L.b.def({ kind: 'un', op: 'bnot', a: w(0).v, type: U256, loc }), t: U256 });
      }
      case 'lt':
        return cmp('lt', w(0), w(1));
      case 'gt':
        return cmp('gt', w(0), w(1));
      case 'slt':
        return cmp('lt', signed(w(0)), signed(w(1)));
      case 'sgt':
        return cmp('gt', signed(w(0)), signed(w(1)));
      case 'eq':
        return cmp('eq', w(0), w(1));
      case 'iszero': {
        const a = args[0]!;
        if (a.kind === 'bool') return bool(L.notOp({ v: a.v, t: BOOL }, loc));
        return cmp('eq', w(0), L.const(U256, 0n, loc));
      }
      case 'and':
      case 'or':
      case 'xor': {
        const [a, b] = [args[0]!, args[1]!];
        // Two 0/1 words: the bool connective gives the same word and keeps the solver's terms boolean.
        if (a.kind === 'bool' && b.kind === 'bool') {
          const o: BinOp = name === 'and' ? 'land' : name === 'or' ? 'lor' : 'ne';
          return cmp(o, { v: a.v, t: BOOL }, { v: b.v, t: BOOL });
        }
        return word(op(name, w(0), w(1)));
      }
      case 'byte': {
        // byte(i, x): byte i of x counted from the most significant; 0 when i >= 32.
        const i = w(0);
        const k = (c: bigint): Val => L.const(U256, c, loc);
        const shift = op('mul', op('sub', k(31n), i), k(8n));
        const b = op('and', op('shr', w(1), shift), k(0xffn));
        const inRange = L.binOp('lt', i, k(32n), loc, BOOL);
        return word(this.select(inRange, b, k(0n), loc));
      }
      case 'shl':
        return word(op('shl', w(1), w(0)));
      case 'shr':
        return word(op('shr', w(1), w(0)));
      case 'sar':
        return word(unsigned(op('shr', signed(w(1)), w(0))));
      case 'addmod':
      case 'mulmod': {
        // The sum or product at 512 bits is exact before the reduction.
        const wide = (x: Val): Val => L.convert(x, U512, loc);
        const full = op(name === 'addmod' ? 'add' : 'mul', wide(w(0)), wide(w(1)));
        return word(L.convert(op('mod0', full, wide(w(2))), U256, loc));
      }
      case 'signextend': {
        // signextend(b, x): x sign-extended from bit 8b + 7 when b < 31, else x. Shift the sign bit to the
        // top, then shift back arithmetically.
        const b = w(0);
        const x = w(1);
        const k = (c: bigint): Val => L.const(U256, c, loc);
        const s = op('mul', op('sub', k(31n), b), k(8n));
        const ext = unsigned(op('shr', signed(op('shl', x, s)), s));
        return word(this.select(L.binOp('lt', b, k(31n), loc, BOOL), ext, x, loc));
      }
      default:
        unsupported(`inline assembly: ${name}`, loc);
    }
  }

  private select(cond: Val, a: Val, b: Val, loc: SrcLoc): Val {
    return { v: this.L.b.def({ kind: 'select', cond: cond.v, a: a.v, b: b.v, type: a.t, loc }), t: a.t };
  }

  /** The value as a word: a bool becomes 0 or 1. */
  private word(x: YVal, loc: SrcLoc): ValueId {
    if (x.kind === 'word') return x.v;
    return this.select({ v: x.v, t: BOOL }, this.L.const(U256, 1n, loc), this.L.const(U256, 0n, loc), loc).v;
  }

  /** A condition: a word is true when non-zero. */
  private cond(x: YVal, loc: SrcLoc): ValueId {
    if (x.kind === 'bool') return x.v;
    return this.L.binOp('ne', { v: x.v, t: U256 }, this.L.const(U256, 0n, loc), loc, BOOL).v;
  }
}

/** Lowers an InlineAssembly statement in the subset above, else throws `unsupported` at the first construct outside it. */
export function lowerInlineAssembly(L: FunctionLowerer, s: AstNode, loc: SrcLoc): void {
  if (!s.AST || s.AST.nodeType !== 'YulBlock') unsupported('inline assembly', loc);
  const y = new YulLowerer(L, s);
  // EIP-191/712 digests hashed from scratch memory (yulhash.ts); every other block: the subset above.
  if (lowerScratchHash(L, s.AST, { word: (e) => y.wordOf(e), assign: (id, v) => y.assignWord(id, v) }, loc)) return;
  y.block(s.AST);
}
