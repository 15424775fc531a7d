// SEC-08 eContent confusion (Johnny C1). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec08Fixtures).
import { describe } from 'vitest';
import { sec08Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec08Fixtures(pki);

describe('SEC-08 eContent confusion (Johnny C1)', () => {
  itVerifiesFixtures(fixtures, pki);
});
