import type { Finding } from '../finding.ts';
import type { UpgradeInput } from '../index.ts';
import { isUpgradeable, sideOf } from './ast.ts';
import { initializerHazards } from './initializers.ts';
import { opcodeHazards } from './opcodes.ts';
import { transparentHazards, uupsHazards } from './proxy.ts';
import { stateHazards } from './state.ts';

export { H as HAZARDS, HAZARD_KINDS } from './catalog.ts';

/**
 * Proxy and implementation hazards (PP2xx) of the new implementation, from solc's AST of both versions.
 * The implementation checks run only when the new version is an upgradeable contract (see
 * `isUpgradeable`); the UUPS checks run whenever the old version was UUPS, since an upgrade to a
 * non-upgradeable contract is exactly what bricks the proxy.
 */
export function analyzeHazards(input: UpgradeInput): readonly Finding[] {
  const old = sideOf(input.old.compilation, input.old.contract);
  const side = sideOf(input.new.compilation, input.new.contract);
  const out: Finding[] = [...uupsHazards(old, side)];
  if (!isUpgradeable(side)) return out;
  out.push(...initializerHazards(side, isUpgradeable(old) ? old : undefined));
  out.push(...stateHazards(side, old));
  out.push(...opcodeHazards(side));
  out.push(...transparentHazards(side));
  return out;
}
