import type { SrcLoc } from '../../util/loc.ts';
import { keccakBig, hexToBytes } from '../../util/hash.ts';
import type { ValueType } from '../types.ts';
import { unsupported, type AstNode, type LowerContext } from './context.ts';
import { enumTypeBound } from './exprs.ts';
import { constBinary, parseNumberLiteral, parseTypeString, rat, type Rational } from './soltypes.ts';

/**
 * solc folds literal arithmetic exactly (arbitrary precision rationals) before choosing a type; so do we.
 * The typeString carries the value when it is short; long values are abbreviated there, so we re-evaluate.
 */
export class Consts {
  constructor(private readonly ctx: LowerContext) {}

  evaluate(e: AstNode): Rational | null {
    const ts: string = e.typeDescriptions?.typeString ?? '';
    let m = ts.match(/^int_const (-?\d+)$/);
    if (m) return rat(BigInt(m[1]!));
    m = ts.match(/^rational_const (-?\d+) \/ (\d+)$/);
    if (m) return rat(BigInt(m[1]!), BigInt(m[2]!));
    switch (e.nodeType) {
      case 'Literal':
        return e.kind === 'number' ? parseNumberLiteral(e.value, e.subdenomination) : null;
      case 'TupleExpression':
        return e.components.length === 1 && e.components[0] ? this.evaluate(e.components[0]) : null;
      case 'UnaryOperation': {
        const x = this.evaluate(e.subExpression);
        if (!x) return null;
        if (e.operator === '-') return rat(-x.n, x.d);
        if (e.operator === '~' && x.d === 1n) return rat(-x.n - 1n);
        return null;
      }
      case 'BinaryOperation': {
        const a = this.evaluate(e.leftExpression);
        const b = this.evaluate(e.rightExpression);
        return a && b ? constBinary(e.operator, a, b) : null;
      }
      case 'MemberAccess': {
        const bound = enumTypeBound(this.ctx, e);
        if (bound !== null) return rat(bound);
        const iid = this.interfaceId(e);
        if (iid !== null) return rat(iid);
        // type(T).max / type(T).min
        const inner = e.expression;
        if (inner.nodeType === 'FunctionCall' && inner.expression?.name === 'type' && inner.arguments?.length === 1) {
          const tm = String(inner.arguments[0].typeDescriptions?.typeString ?? '').match(/^type\((.*)\)$/);
          const st = tm ? parseTypeString(tm[1]!) : null;
          if (st?.kind === 'value' && (st.type.kind === 'uint' || st.type.kind === 'int')) {
            const bits = BigInt(st.type.bits);
            if (st.type.kind === 'uint') return rat(e.memberName === 'max' ? (1n << bits) - 1n : 0n);
            return rat(e.memberName === 'max' ? (1n << (bits - 1n)) - 1n : -(1n << (bits - 1n)));
          }
        }
        return null;
      }
      default:
        return null;
    }
  }

  /**
   * `type(I).interfaceId`: the XOR of the selectors of the functions declared in interface I itself,
   * inherited ones excluded (ERC-165, as solc computes it). Null when `e` is not one.
   */
  private interfaceId(e: AstNode): bigint | null {
    const inner = e.expression;
    if (e.memberName !== 'interfaceId' || inner?.nodeType !== 'FunctionCall' || inner.expression?.name !== 'type' || inner.arguments?.length !== 1) return null;
    const m = String(inner.arguments[0].typeDescriptions?.typeIdentifier ?? '').match(/^t_type\$_t_contract\$_[\w$]*?_\$(\d+)_\$$/);
    const decl = m ? this.ctx.node(Number(m[1])) : undefined;
    if (decl?.nodeType !== 'ContractDefinition') return null;
    let id = 0n;
    for (const f of decl.nodes as AstNode[]) {
      if (f.nodeType !== 'FunctionDefinition' || f.kind !== 'function') continue;
      if (typeof f.functionSelector !== 'string') return null;
      id ^= BigInt('0x' + f.functionSelector);
    }
    return id;
  }

  /** The bit pattern of a constant expression (or a string literal for bytesN) as a value of `target`. */
  valueAs(e: AstNode, target: ValueType, loc: SrcLoc): bigint {
    if (e.nodeType === 'Literal' && (e.kind === 'string' || e.kind === 'hexString')) {
      if (target.kind !== 'bytes') unsupported(`string literal as ${target.kind}`, loc);
      const hex: string = e.hexValue;
      if (hex.length / 2 > target.size) unsupported('string literal longer than its bytesN type', loc);
      return BigInt('0x' + (hex.padEnd(target.size * 2, '0') || '0'));
    }
    const r = this.evaluate(e);
    if (!r) unsupported(`constant expression ${e.typeDescriptions?.typeString ?? e.nodeType}`, loc);
    if (r.d !== 1n) unsupported('fractional constant', loc);
    return r.n;
  }

  /** The smallest integer type holding a constant: what solc uses when no other type is implied. */
  mobileType(e: AstNode): ValueType {
    const r = this.evaluate(e);
    const v = r && r.d === 1n ? r.n : 0n;
    for (let bits = 8; bits <= 256; bits += 8) {
      const b = BigInt(bits);
      if (v >= 0n && v < 1n << b) return { kind: 'uint', bits };
      if (v < 0n && v >= -(1n << (b - 1n))) return { kind: 'int', bits };
    }
    return { kind: 'uint', bits: 256 };
  }

  /** A `string constant X = "..."` used as a revert reason. */
  stringConstant(e: AstNode): { bytes: Uint8Array; text: string } | null {
    const decl = this.ctx.node(e.referencedDeclaration);
    if (decl?.nodeType !== 'VariableDeclaration' || !decl.constant) return null;
    const v = decl.value;
    if (v?.nodeType !== 'Literal' || v.kind !== 'string') return null;
    const bytes = hexToBytes(v.hexValue as string);
    return { bytes, text: v.value ?? '' };
  }

  /** keccak256 of a string literal, folded at compile time as solc does for constants. */
  keccakOfLiteral(e: AstNode): bigint | null {
    if (e.nodeType === 'Literal' && (e.kind === 'string' || e.kind === 'hexString')) {
      const bytes = hexToBytes(e.hexValue as string);
      return keccakBig(bytes);
    }
    return null;
  }
}
