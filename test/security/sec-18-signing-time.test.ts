// SEC-18 signing-time and replayed signatures. Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec18Fixtures).
import { describe } from 'vitest';
import { sec18Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec18Fixtures(pki);

describe('SEC-18 signing-time and replayed signatures', () => {
  itVerifiesFixtures(fixtures, pki);
});
