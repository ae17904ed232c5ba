import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';

describe('patchproof prove (CLI)', () => {
  it('a spec error exits 3 naming file, line and column', async () => {
    const r = await runCli(['prove', 'fixtures-specs/error-syntax/contract.sol']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('contract.sol:7:44: expected an expression, found the end of the annotation');
  });

  it('a spec file error exits 3 before anything is compiled', async () => {
    const r = await runCli(['prove', 'fixtures-specs/error-specfile/contract.sol', '--spec', 'fixtures-specs/error-specfile/bad.spec']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("bad.spec:4:12: unknown relation 'sometimes'");
  });

  it('is listed as a command', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout).toContain('prove <file>');
  });
});
