import { hexToBytes, keccakBig, wordBytes } from '../../util/hash.ts';
import type { AstNode, Side } from './ast.ts';

/**
 * Values of compile-time constant expressions as slot constants are written in practice: number
 * literals, references to `constant` variables, `keccak256("...")`, `keccak256(abi.encode(x))`,
 * uint256/bytes32 conversions, `+ - & | ^ ~`. Anything else is `undefined` (unknown, never a guess).
 */
const MASK = (1n << 256n) - 1n;

export const ERC1967_SLOTS: ReadonlyMap<bigint, string> = new Map([
  [keccakBig('eip1967.proxy.implementation') - 1n, 'implementation'],
  [keccakBig('eip1967.proxy.admin') - 1n, 'admin'],
  [keccakBig('eip1967.proxy.beacon') - 1n, 'beacon'],
]);

export const IMPLEMENTATION_SLOT = keccakBig('eip1967.proxy.implementation') - 1n;

export function evalConst(side: Side, e: AstNode | undefined, depth = 0): bigint | undefined {
  if (e === undefined || depth > 32) return undefined;
  const next = (x: AstNode | undefined) => evalConst(side, x, depth + 1);
  switch (e.nodeType) {
    case 'Literal':
      return e.kind === 'number' && e.subdenomination == null ? parseNumber(String(e.value)) : undefined;
    case 'Identifier':
    case 'MemberAccess': {
      const decl = side.nodes.get(e.referencedDeclaration as number);
      if (decl?.nodeType === 'VariableDeclaration' && decl.constant === true) return next(decl.value as AstNode | undefined);
      return undefined;
    }
    case 'TupleExpression':
      return (e.components as AstNode[]).length === 1 ? next((e.components as AstNode[])[0]) : undefined;
    case 'UnaryOperation':
      if (e.operator === '~') { const v = next(e.subExpression as AstNode); return v === undefined ? undefined : ~v & MASK; }
      return undefined;
    case 'BinaryOperation': {
      const a = next(e.leftExpression as AstNode);
      const b = next(e.rightExpression as AstNode);
      if (a === undefined || b === undefined) return undefined;
      switch (e.operator) {
        case '+': return (a + b) & MASK;
        case '-': return (a - b) & MASK;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        default: return undefined;
      }
    }
    case 'FunctionCall':
      return evalCall(e, next);
    default:
      return undefined;
  }
}

function evalCall(e: AstNode, next: (x: AstNode | undefined) => bigint | undefined): bigint | undefined {
  const args = e.arguments as AstNode[];
  if (e.kind === 'typeConversion') {
    // Only the 256-bit conversions are the identity on the value; narrower ones would need truncation rules.
    const to = String(e.expression?.typeName?.name ?? '');
    return args.length === 1 && (to === 'uint256' || to === 'bytes32' || to === 'uint') ? next(args[0]) : undefined;
  }
  const callee = e.expression as AstNode;
  if (callee.nodeType !== 'Identifier' || callee.name !== 'keccak256' || args.length !== 1) return undefined;
  const arg = args[0]!;
  if (arg.nodeType === 'Literal' && arg.kind === 'string') return keccakBig(hexToBytes(String(arg.hexValue)));
  // keccak256(abi.encode(x)) for one 32-byte value: the ERC-7201 formula.
  if (arg.nodeType === 'FunctionCall' && arg.expression?.nodeType === 'MemberAccess' && arg.expression.memberName === 'encode'
    && arg.expression.expression?.name === 'abi' && (arg.arguments as AstNode[]).length === 1) {
    const v = next((arg.arguments as AstNode[])[0]);
    return v === undefined ? undefined : keccakBig(wordBytes(v));
  }
  return undefined;
}

export function parseNumber(raw: string): bigint | undefined {
  const s = raw.replace(/_/g, '');
  if (/^0x[0-9a-fA-F]+$/.test(s) || /^\d+$/.test(s)) return BigInt(s) & MASK;
  const sci = /^(\d+)e(\d+)$/.exec(s);
  return sci ? (BigInt(sci[1]!) * 10n ** BigInt(sci[2]!)) & MASK : undefined;
}

/** A Yul expression's value: a literal, or a reference to a Solidity constant (assembly allows only those). */
export function evalYul(side: Side, asm: AstNode, e: AstNode | undefined): bigint | undefined {
  if (e === undefined) return undefined;
  if (e.nodeType === 'YulLiteral') return e.kind === 'number' ? parseNumber(String(e.value)) : undefined;
  if (e.nodeType !== 'YulIdentifier') return undefined;
  const ref = (asm.externalReferences as { declaration: number; src: string }[]).find((r) => r.src === e.src);
  const decl = ref === undefined ? undefined : side.nodes.get(ref.declaration);
  return decl?.nodeType === 'VariableDeclaration' && decl.constant === true ? evalConst(side, decl.value as AstNode) : undefined;
}
