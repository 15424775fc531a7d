// SEC-10 no signers (Johnny C3). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec10Fixtures).
import { describe } from 'vitest';
import { sec10Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec10Fixtures(pki);

describe('SEC-10 no signers (Johnny C3)', () => {
  itVerifiesFixtures(fixtures, pki);
});
