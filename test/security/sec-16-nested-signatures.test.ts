// SEC-16 nested signature layers. Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec16Fixtures).
import { describe } from 'vitest';
import { sec16Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec16Fixtures(pki);

describe('SEC-16 nested signature layers', () => {
  itVerifiesFixtures(fixtures, pki);
});
