import type { FindingKind } from '../finding.ts';

/**
 * Proxy and implementation hazards (PP2xx): the one catalog. Codes are stable; tests assert on them and
 * the README's hazard table lists them. Groups: 20x initializers, 21x implementation state,
 * 22x dangerous opcodes and linking, 23x UUPS, 24x transparent proxy, 25x ERC-1967 slots.
 */
const kind = (code: string, severity: FindingKind['severity'], title: string): FindingKind => ({ code, severity, title });

export const H = {
  unprotectedInitializer: kind('PP201', 'error', 'initializer without initializer/reinitializer modifier'),
  missingInitializer: kind('PP202', 'error', 'no initializer although parents need initializing'),
  parentInitNotCalled: kind('PP203', 'error', 'parent initializer not called'),
  parentInitTwice: kind('PP204', 'error', 'parent initializer called twice'),
  parentInitOrder: kind('PP205', 'warning', 'parent initializers called out of linearisation order'),
  severalNewReinitializers: kind('PP206', 'error', 'more than one new initializer in one upgrade'),
  staleReinitializer: kind('PP207', 'error', 'new initializer version not above the deployed one'),
  initializerRearmed: kind('PP208', 'error', 'initializer can run again after the upgrade'),

  constructorWritesState: kind('PP210', 'error', 'constructor writes state'),
  initializersNotDisabled: kind('PP211', 'warning', 'implementation constructor does not call _disableInitializers()'),
  stateVariableInitialValue: kind('PP212', 'error', 'state variable with an initial value'),
  immutableVariable: kind('PP213', 'error', 'immutable variable'),
  becameConstant: kind('PP214', 'error', 'state variable became constant or immutable'),
  stoppedBeingConstant: kind('PP215', 'error', 'constant or immutable became a state variable'),
  internalFunctionInStorage: kind('PP216', 'error', 'internal function type in storage'),
  linkedLibrary: kind('PP217', 'error', 'external library function called (linked library)'),

  selfdestruct: kind('PP220', 'error', 'selfdestruct reachable'),
  delegatecall: kind('PP221', 'error', 'delegatecall to a variable address reachable'),

  upgradeFunctionRemoved: kind('PP230', 'error', 'UUPS upgrade function removed (proxy bricked)'),
  upgradeEntryChanged: kind('PP231', 'warning', 'UUPS upgrade entry point removed, another remains'),
  proxiableUuidChanged: kind('PP232', 'error', 'proxiableUUID removed or changed'),
  authorizeUpgradeWeakened: kind('PP233', 'error', '_authorizeUpgrade less restrictive'),
  authorizeUpgradeRoleChanged: kind('PP234', 'warning', '_authorizeUpgrade role changed'),

  adminFunctionShadowed: kind('PP240', 'warning', 'function shadowed by the transparent proxy admin interface'),
  adminSelectorClash: kind('PP241', 'error', 'selector clash with the transparent proxy admin interface'),

  erc1967SlotWritten: kind('PP250', 'error', 'ERC-1967 slot written outside the upgrade code'),
} as const satisfies Record<string, FindingKind>;

export const HAZARD_KINDS: readonly FindingKind[] = Object.values(H);
