// STYLE §8: a missing command-line tool fails the PKCS#12 interop tests with the install command; it never skips.
import { describe, expect, it } from 'vitest';
import { requireTool, tool } from './pkcs12-tools.js';

describe('interop tool checks', () => {
  it('a missing tool raises an error naming the install command', () => {
    expect(() => requireTool('waxseal-no-such-tool')).toThrow('apt-get install -y openssl libnss3-tools');
    expect(() => tool('waxseal-no-such-tool', ['--version'])).toThrow('apt-get install -y openssl libnss3-tools');
  });

  it('openssl, pk12util and certutil are present', () => {
    for (const name of ['openssl', 'pk12util', 'certutil']) expect(() => requireTool(name)).not.toThrow();
  });
});
