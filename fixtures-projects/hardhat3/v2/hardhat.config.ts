// Only what patchproof's fixture script mirrors: the compiler and its settings (no plugins, no networks).
export default {
  solidity: { version: '0.8.30', settings: { evmVersion: 'cancun', optimizer: { enabled: false, runs: 200 } } },
};
