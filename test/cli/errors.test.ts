import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, type CliRun } from './helpers.ts';

const TIMEOUT = 120_000;
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
const cache = ['--cache-dir', cacheDir];

/** An input error: exit 3, an `error:` line on stderr matching every message, no stack trace, no "internal error". */
function expectInputError(r: CliRun, ...messages: (string | RegExp)[]): void {
  expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(3);
  expect(r.stderr.split('\n')[0] ?? '', r.stderr).toMatch(/^error: /);
  for (const m of messages) expect(r.stderr).toMatch(m);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
}

const VALID = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Counter {
    uint256 public count;
    function bump() external {
        count += 1;
    }
}
`;

/** VALID with the ';' after the state variable on line 4 dropped: solc stops at line 5, column 5. */
const SYNTAX_ERROR = VALID.replace('uint256 public count;', 'uint256 public count');

const TWO_CONTRACTS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Alpha { uint256 public a; }
contract Beta { uint256 public b; }
`;

const IMPORTS_OUTSIDE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "../outside.sol";
contract Inside is Outside {}
`;

const OUTSIDE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Outside { uint256 public o; }
`;

const OLD_PRAGMA = VALID.replace('pragma solidity ^0.8.20;', 'pragma solidity 0.8.18;');

/** The inline assembly reads memory (outside the modelled Yul subset) at line 5, column 29. */
const ASSEMBLY = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Asm {
    function f() external pure returns (uint256) {
        assembly { let x := mload(0x40) }
        return 1;
    }
}
`;

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-errors-'));
  await mkdir(file('sub'));
  await Promise.all([
    writeFile(file('valid.sol'), VALID),
    writeFile(file('syntax.sol'), SYNTAX_ERROR),
    writeFile(file('two.sol'), TWO_CONTRACTS),
    writeFile(file('sub/inside.sol'), IMPORTS_OUTSIDE),
    writeFile(file('outside.sol'), OUTSIDE),
    writeFile(file('pragma.sol'), OLD_PRAGMA),
    writeFile(file('asm-old.sol'), ASSEMBLY),
    writeFile(file('asm-new.sol'), ASSEMBLY),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('check reports input errors with exit 3 and the file (and line) at fault', () => {
  it(
    'a Solidity syntax error in the new file names file:line:col',
    async () => {
      const r = await runCli(['check', file('valid.sol'), file('syntax.sol'), ...cache]);
      expectInputError(r, file('syntax.sol'), 'syntax.sol:5:5', /ParserError/);
      expect(r.stderr).not.toContain('valid.sol');
    },
    TIMEOUT,
  );

  it(
    'a missing old file is named',
    async () => {
      const missing = file('no-such-old.sol');
      const r = await runCli(['check', missing, file('valid.sol'), ...cache]);
      expectInputError(r, `file not found: ${missing}`);
    },
    TIMEOUT,
  );

  it(
    'an unknown --contract lists the contracts that exist',
    async () => {
      const r = await runCli(['check', file('two.sol'), file('two.sol'), '--contract', 'Nope', ...cache]);
      expectInputError(r, 'no contract named Nope', 'two.sol', /available: .*Alpha/, /available: .*Beta/);
    },
    TIMEOUT,
  );

  it(
    'an import outside the project root names the importing file and line',
    async () => {
      const inside = file('sub/inside.sol');
      const r = await runCli(['check', inside, inside, ...cache]);
      expectInputError(r, 'inside.sol:3', '../outside.sol', /outside the project root/, '--root');
    },
    TIMEOUT,
  );

  it(
    'the same import is also refused when the CLI runs from the subfolder with relative paths',
    async () => {
      const r = await runCli(['check', 'inside.sol', 'inside.sol', ...cache], { cwd: file('sub') });
      expectInputError(r, 'inside.sol:3', /outside the project root/);
    },
    TIMEOUT,
  );

  it(
    'a pragma no bundled compiler satisfies names the bundled versions',
    async () => {
      const r = await runCli(['check', file('pragma.sol'), file('valid.sol'), ...cache]);
      expectInputError(r, 'pragma.sol:2:1', 'pragma solidity 0.8.18', '0.8.30, 0.8.29', '0.6.12', /never downloads/);
    },
    TIMEOUT,
  );
});

describe('unsupported constructs', () => {
  it(
    'inline assembly gives exit 2 and names the construct and its location',
    async () => {
      const r = await runCli(['check', file('asm-old.sol'), file('asm-new.sol'), ...cache]);
      expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(2);
      expect(r.stdout).toMatch(/unsupported\s+f\(\)/);
      expect(r.stdout).toContain('inline assembly');
      expect(r.stdout).toContain('inline assembly: mload');
      expect(r.stdout).toMatch(/asm-(old|new)\.sol:5:29/);
      expect(r.stdout).toContain('overall: unsupported');
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toContain('internal error');
    },
    TIMEOUT,
  );
});
