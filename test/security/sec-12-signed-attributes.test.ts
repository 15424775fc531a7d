// SEC-12 signed-attributes rules (RFC 5652 §5.3, §5.4, §11). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec12Fixtures).
import { describe } from 'vitest';
import { sec12Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec12Fixtures(pki);

describe('SEC-12 signed-attributes rules (RFC 5652 §5.3, §5.4, §11)', () => {
  itVerifiesFixtures(fixtures, pki);
});
