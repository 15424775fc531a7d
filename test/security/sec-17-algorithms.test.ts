// SEC-17 signature algorithms, hash strength and key size. Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec17Fixtures).
import { describe } from 'vitest';
import { sec17Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec17Fixtures(pki);

describe('SEC-17 signature algorithms, hash strength and key size', () => {
  itVerifiesFixtures(fixtures, pki);
});
