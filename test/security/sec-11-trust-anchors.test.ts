// SEC-11 validation against configured anchors is mandatory (Johnny C4, F4). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec11Fixtures).
import { describe } from 'vitest';
import { sec11Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec11Fixtures(pki);

describe('SEC-11 validation against configured anchors is mandatory (Johnny C4, F4)', () => {
  itVerifiesFixtures(fixtures, pki);
});
