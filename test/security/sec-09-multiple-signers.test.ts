// SEC-09 multiple signers (Johnny C2). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec09Fixtures).
import { describe } from 'vitest';
import { sec09Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec09Fixtures(pki);

describe('SEC-09 multiple signers (Johnny C2)', () => {
  itVerifiesFixtures(fixtures, pki);
});
