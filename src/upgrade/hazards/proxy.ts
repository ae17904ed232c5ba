import { selectorOf } from '../../util/hash.ts';
import { finding, type Finding } from '../finding.ts';
import { effectiveFunction, effectiveFunctions, isUups, loc, modifierName, modifierNames, qualified, stateVariablesOf, text, walk, type AstNode, type Side } from './ast.ts';
import { H } from './catalog.ts';
import { evalConst, IMPLEMENTATION_SLOT } from './consts.ts';

/**
 * What the proxy needs from the implementation. UUPS (ERC-1822/1967): the upgrade function lives in the
 * implementation, so a new version without it bricks the proxy, and its `_authorizeUpgrade` is the only
 * lock on every future upgrade. Transparent proxies: the admin's calls never reach the implementation
 * at the admin interface's selectors.
 */

const UPGRADE_TO = 'upgradeTo(address)';
const UPGRADE_TO_AND_CALL = 'upgradeToAndCall(address,bytes)';

export function uupsHazards(old: Side, side: Side): Finding[] {
  if (!isUups(old)) return [];
  const out: Finding[] = [];
  const had = [UPGRADE_TO_AND_CALL, UPGRADE_TO].filter((s) => s in old.contract.methodIdentifiers);
  const has = [UPGRADE_TO_AND_CALL, UPGRADE_TO].filter((s) => s in side.contract.methodIdentifiers);
  const oldFn = (sig: string) => effectiveFunction(old, sig.slice(0, sig.indexOf('(')));
  const oldLoc = (sig: string) => { const f = oldFn(sig); return f === undefined ? {} : { oldLoc: loc(old, f) }; };
  const disabled = has.filter((s) => isInert(effectiveFunction(side, s.slice(0, s.indexOf('(')))));
  if (had.length > 0 && (has.length === 0 || disabled.length === has.length)) {
    const why = has.length === 0 ? `has neither ${UPGRADE_TO_AND_CALL} nor ${UPGRADE_TO}` : `overrides ${has.join(' and ')} with a body that cannot upgrade`;
    out.push(finding(H.upgradeFunctionRemoved, `the new implementation ${why}: once the proxy points to it, no upgrade is ever possible again (the proxy is bricked); fix: keep inheriting UUPSUpgradeable`, { newLoc: loc(side, side.root), ...oldLoc(had[0]!), subject: String(side.root.name) }));
  } else {
    for (const s of had.filter((s) => !has.includes(s))) {
      out.push(finding(H.upgradeEntryChanged, `${s} is gone (only ${has.join(', ')} remains): the proxy can still be upgraded, but scripts and governance proposals calling ${s} will revert; fix: update them before the upgrade`, { newLoc: loc(side, side.root), ...oldLoc(s), subject: s }));
    }
  }
  out.push(...proxiableUuid(old, side));
  out.push(...authorizeUpgrade(old, side));
  return out;
}

/** An upgrade function overridden to do nothing, or only to revert. */
function isInert(fn: AstNode | undefined): boolean {
  if (fn === undefined || fn.body == null) return false;
  const stmts = fn.body.statements as AstNode[];
  return stmts.every((s) => s.nodeType === 'RevertStatement'
    || (s.nodeType === 'ExpressionStatement' && s.expression?.nodeType === 'FunctionCall' && s.expression.expression?.name === 'revert'));
}

function proxiableUuid(old: Side, side: Side): Finding[] {
  const before = effectiveFunction(old, 'proxiableUUID');
  if (before === undefined) return [];
  const after = effectiveFunction(side, 'proxiableUUID');
  const subject = 'proxiableUUID';
  if (after === undefined) {
    return [finding(H.proxiableUuidChanged, `proxiableUUID() was removed: the old implementation's upgradeToAndCall checks it and refuses to upgrade to this version (and so will any later UUPS upgrade); fix: keep inheriting UUPSUpgradeable`, { newLoc: loc(side, side.root), oldLoc: loc(old, before), subject })];
  }
  const v = returnedConstant(side, after);
  const w = returnedConstant(old, before);
  const where = { newLoc: loc(side, after), oldLoc: loc(old, before), subject };
  if (v !== undefined && v !== IMPLEMENTATION_SLOT) {
    return [finding(H.proxiableUuidChanged, `proxiableUUID() returns 0x${v.toString(16)}, not the ERC-1967 implementation slot: upgradeToAndCall refuses the upgrade (ERC1967 unsupported UUID); fix: return ERC1967Utils.IMPLEMENTATION_SLOT`, where)];
  }
  const same = v !== undefined ? v === w : text(side, after.body as AstNode) === text(old, before.body as AstNode);
  return same ? [] : [finding(H.proxiableUuidChanged, `proxiableUUID() changed and its value could not be shown equal to the old one: an upgrade to this version may be refused; fix: keep returning the ERC-1967 implementation slot`, where)];
}

function returnedConstant(side: Side, fn: AstNode): bigint | undefined {
  const returns: AstNode[] = [];
  walk(fn.body as AstNode, (n) => { if (n.nodeType === 'Return') returns.push(n); });
  return returns.length === 1 ? evalConst(side, returns[0]!.expression as AstNode | undefined) : undefined;
}

/** `_authorizeUpgrade` guards compared syntactically: modifiers (name and arguments) and conditions. */
function authorizeUpgrade(old: Side, side: Side): Finding[] {
  const after = effectiveFunction(side, '_authorizeUpgrade');
  if (after === undefined) return [];
  const subject = qualified(side, after);
  const before = effectiveFunction(old, '_authorizeUpgrade');
  const where = { newLoc: loc(side, after), ...(before ? { oldLoc: loc(old, before) } : {}), subject };
  const stmts = (after.body?.statements as AstNode[] | undefined) ?? [];
  if (stmts.length === 0 && modifierNames(after).length === 0) {
    return [finding(H.authorizeUpgradeWeakened, `${subject} has an empty body and no modifier: anyone can upgrade the proxy to any code; fix: restrict it (onlyOwner, onlyRole(UPGRADER_ROLE))`, where)];
  }
  if (before === undefined) return [];
  const out: Finding[] = [];
  const newMods = new Map(((after.modifiers as AstNode[]) ?? []).map((m) => [modifierName(m), text(side, m)]));
  for (const m of (before.modifiers as AstNode[]) ?? []) {
    const name = modifierName(m);
    const now = newMods.get(name);
    if (now === undefined) {
      out.push(finding(H.authorizeUpgradeWeakened, `${subject} lost its modifier ${text(old, m)}: upgrades are less restricted than before; fix: restore it`, where));
    } else if (now !== text(old, m)) {
      out.push(finding(H.authorizeUpgradeRoleChanged, `${subject}'s modifier changed from ${text(old, m)} to ${now}: a different set of accounts can upgrade; check that this is intended`, where));
    }
  }
  const kept = new Set(guards(side, after));
  const keptByShape = new Set([...kept].map(roleless));
  for (const g of guards(old, before)) {
    if (kept.has(g)) continue;
    if (keptByShape.has(roleless(g))) {
      out.push(finding(H.authorizeUpgradeRoleChanged, `${subject}'s check \`${g}\` now checks a different role: a different set of accounts can upgrade; check that this is intended`, where));
    } else {
      out.push(finding(H.authorizeUpgradeWeakened, `${subject} no longer checks \`${g}\`: upgrades are less restricted than before; fix: restore the check`, where));
    }
  }
  return out;
}

/** require/assert conditions, `if (..) revert` conditions and `_check*`/`only*` calls, as source text. */
function guards(side: Side, fn: AstNode): string[] {
  const out: string[] = [];
  walk(fn.body as AstNode, (n) => {
    if (n.nodeType === 'FunctionCall' && n.expression?.nodeType === 'Identifier') {
      const name = String(n.expression.name);
      if (name === 'require' || name === 'assert') out.push(text(side, (n.arguments as AstNode[])[0]!));
      else if (/^_?(check|only|require|auth)/i.test(name)) out.push(text(side, n));
    }
    if (n.nodeType === 'IfStatement' && revertsOnly(n.trueBody as AstNode)) out.push(`!(${text(side, n.condition as AstNode)})`);
  });
  return out;
}

function revertsOnly(s: AstNode): boolean {
  if (s.nodeType === 'RevertStatement') return true;
  if (s.nodeType === 'ExpressionStatement') return s.expression?.nodeType === 'FunctionCall' && s.expression.expression?.name === 'revert';
  if (s.nodeType === 'Block') return (s.statements as AstNode[]).length === 1 && revertsOnly((s.statements as AstNode[])[0]!);
  return false;
}

/** A guard with its role constants blanked, to tell "role changed" from "check removed". */
function roleless(g: string): string {
  return g.replace(/\b[A-Z0-9_]*ROLE[A-Z0-9_]*\b/g, 'ROLE');
}

/** TransparentUpgradeableProxy's admin interface: v4 routes all five for the admin, v5 only upgradeToAndCall. */
const ADMIN_INTERFACE: readonly { sig: string; versions: string }[] = [
  { sig: UPGRADE_TO_AND_CALL, versions: 'v4 and v5' },
  { sig: UPGRADE_TO, versions: 'v4' },
  { sig: 'changeAdmin(address)', versions: 'v4' },
  { sig: 'admin()', versions: 'v4' },
  { sig: 'implementation()', versions: 'v4' },
];

/**
 * Selector clashes with the transparent proxy's admin interface, for an upgradeable implementation that
 * is not UUPS (a UUPS implementation has its own upgradeToAndCall and sits behind an ERC1967Proxy). The
 * proxy answers the admin at these selectors itself, so the admin can never call the clashing function;
 * other callers still reach it. A same-signature function is shadowed (warning); a different signature
 * with the same 4 bytes is a deliberate-looking collision (error, as slither's function-id-collision).
 */
export function transparentHazards(side: Side): Finding[] {
  if (isUups(side)) return [];
  const out: Finding[] = [];
  for (const [sig, selHex] of Object.entries(side.contract.methodIdentifiers)) {
    const sel = BigInt('0x' + selHex);
    const admin = ADMIN_INTERFACE.find((a) => selectorOf(a.sig) === sel);
    if (admin === undefined) continue;
    const decl = declarationWithSelector(side, selHex);
    const where = { newLoc: loc(side, decl ?? side.root), subject: sig };
    if (admin.sig === sig) {
      out.push(finding(H.adminFunctionShadowed, `${sig} is also in the transparent proxy's admin interface (${admin.versions}): calls from the proxy admin are answered by the proxy and never reach it; fix: rename it if the admin must call it`, where));
    } else {
      out.push(finding(H.adminSelectorClash, `${sig} has selector 0x${selHex}, the same as the proxy admin's ${admin.sig} (${admin.versions}): the proxy intercepts it for the admin; a clash with a different signature is either an accident or a trap; fix: rename the function`, where));
    }
  }
  return out;
}

function declarationWithSelector(side: Side, selHex: string): AstNode | undefined {
  return effectiveFunctions(side).find((f) => f.functionSelector === selHex)
    ?? side.bases.flatMap(stateVariablesOf).find((v) => v.functionSelector === selHex);
}
