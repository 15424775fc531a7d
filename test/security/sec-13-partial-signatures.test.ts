// SEC-13 MIME wrapping and partially signed messages (M1–M4). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec13Fixtures).
import { describe } from 'vitest';
import { sec13Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec13Fixtures(pki);

describe('SEC-13 MIME wrapping and partially signed messages (M1–M4)', () => {
  itVerifiesFixtures(fixtures, pki);
});
