import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, BOOL } from '../types.ts';
import type { AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';

/**
 * `a.code.length` compared with zero (`> 0`, `!= 0`, `== 0`, either side): solc compiles `a.code.length`
 * to EXTCODESIZE (no copy of the code), so the comparison is exactly "a has code" (`hascode`). Any other
 * use of the size is left unsupported: the replay's stub callees cannot take a code size the model picks.
 */
export function codeLengthComparison(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  const op: string = e.operator;
  const l = codeOwner(e.leftExpression);
  const r = codeOwner(e.rightExpression);
  let owner: AstNode | null = null;
  let has: boolean;
  if (l && isZero(e.rightExpression)) {
    owner = l;
    if (op === '>' || op === '!=') has = true;
    else if (op === '==' || op === '<=') has = false;
    else return null;
  } else if (r && isZero(e.leftExpression)) {
    owner = r;
    if (op === '<' || op === '!=') has = true;
    else if (op === '==' || op === '>=') has = false;
    else return null;
  } else return null;
  const to = L.expr(owner, ADDRESS);
  if (L.b.dead) return { v: -1, t: BOOL };
  const v: Val = { v: L.b.def({ kind: 'hascode', to: to.v, loc }), t: BOOL };
  return has ? v : { v: L.b.def({ kind: 'un', op: 'not', a: v.v, type: BOOL, loc }), t: BOOL };
}

/** `x` of `x.code.length` when `x` is an address; else null. */
function codeOwner(e: AstNode | undefined): AstNode | null {
  if (e?.nodeType !== 'MemberAccess' || e.memberName !== 'length') return null;
  const code = e.expression;
  if (code?.nodeType !== 'MemberAccess' || code.memberName !== 'code') return null;
  return /^address( payable)?$/.test(code.expression?.typeDescriptions?.typeString ?? '') ? code.expression : null;
}

function isZero(e: AstNode | undefined): boolean {
  return e?.nodeType === 'Literal' && e.kind === 'number' && /^0+$/.test(e.value ?? '') && e.subdenomination == null;
}
