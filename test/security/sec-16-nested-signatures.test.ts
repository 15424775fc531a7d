// SEC-16 nested signature layers. Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec16Fixtures).
//
// Expectations, fixed before the implementation (the innermost layer of the cryptographic envelope counts;
// every outer layer must be intact and only adds NESTED; an outer signature around encryption is ignored):
//
// | layers (outer → inner)                         | verdict | reasons          | text shown             |
// |------------------------------------------------|---------|------------------|------------------------|
// | Alice detached → Alice detached                | warning | NESTED           | inner text             |
// | Dave detached → Alice detached (From: Alice)   | warning | NESTED           | inner text             |
// | Alice detached → Alice detached, inner broken  | invalid | BAD_SIGNATURE    | -                      |
// | Alice detached → Alice opaque                  | warning | NESTED           | eContent of the inner  |
// | Alice detached (broken) → Alice detached       | invalid | BAD_SIGNATURE    | -                      |
// | Alice detached → encrypted part                | none    | NOT_SIGNED       | (open-message.test.ts) |
import { describe } from 'vitest';
import { sec16Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec16Fixtures(pki);

describe('SEC-16 nested signature layers', () => {
  itVerifiesFixtures(fixtures, pki);
});
