import type { AstNode } from './context.ts';

/**
 * OpenZeppelin's `_unsafeAccess` (Checkpoints, 4.x and 5.x): element `pos` of a storage array without the
 * bounds check, written in assembly as
 *
 *     function _unsafeAccess(Checkpoint[] storage self, uint256 pos) private pure returns (Checkpoint storage result) {
 *         assembly {
 *             mstore(0, self.slot)
 *             result.slot := add(keccak256(0, 0x20), pos)
 *         }
 *     }
 *
 * Only this exact shape is recognised: one assembly statement with exactly these two Yul statements, the
 * first parameter a storage array, the second a `uint256`, the return variable a storage pointer. The
 * scratch-space write (`mstore(0, …)`) is not observable: solc uses memory below 0x40 only as scratch.
 * Which element sizes make `keccak256(slot) + pos` element `pos` is for the caller to check (one slot
 * each). Returns which parameters hold the array and the index, or null for any other function.
 */
export function unsafeAccessShape(def: AstNode): { readonly array: number; readonly index: number } | null {
  const params: AstNode[] = def.parameters?.parameters ?? [];
  const rets: AstNode[] = def.returnParameters?.parameters ?? [];
  const body: AstNode[] = def.body?.statements ?? [];
  if (params.length !== 2 || rets.length !== 1 || body.length !== 1 || body[0].nodeType !== 'InlineAssembly') return null;
  if (def.modifiers?.length) return null;
  const [arr, pos] = params;
  if (arr.storageLocation !== 'storage' || !/\[\]( storage (ref|pointer))?$/.test(arr.typeDescriptions?.typeString ?? '')) return null;
  if (pos.typeDescriptions?.typeString !== 'uint256' || rets[0].storageLocation !== 'storage') return null;
  const yul: AstNode[] = body[0].AST?.statements ?? [];
  if (yul.length !== 2) return null;
  const [store, assign] = yul;
  const call = (n: AstNode, name: string, arity: number): AstNode[] | null =>
    n?.nodeType === 'YulFunctionCall' && n.functionName?.name === name && n.arguments?.length === arity ? n.arguments : null;
  const lit = (n: AstNode, v: bigint): boolean => n?.nodeType === 'YulLiteral' && n.kind === 'number' && safeBig(n.value) === v;
  const ident = (n: AstNode, name: string): boolean => n?.nodeType === 'YulIdentifier' && n.name === name;
  const st = store?.nodeType === 'YulExpressionStatement' ? call(store.expression, 'mstore', 2) : null;
  if (!st || !lit(st[0], 0n) || !ident(st[1], `${arr.name}.slot`)) return null;
  if (assign?.nodeType !== 'YulAssignment' || assign.variableNames?.length !== 1 || !ident(assign.variableNames[0], `${rets[0].name}.slot`)) return null;
  const add = call(assign.value, 'add', 2);
  const hash = add && call(add[0], 'keccak256', 2);
  if (!add || !hash || !lit(hash[0], 0n) || !lit(hash[1], 32n) || !ident(add[1], pos.name)) return null;
  // The names must be these parameters, not shadowing Yul variables (there are none: two statements, no `let`).
  return { array: 0, index: 1 };
}

function safeBig(v: unknown): bigint | null {
  try {
    return typeof v === 'string' ? BigInt(v) : null;
  } catch {
    return null;
  }
}
