// SEC-14 signer bound to the single From mailbox (I1–I3; Sender ignored). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec14Fixtures).
import { describe } from 'vitest';
import { sec14Fixtures, sec14InternationalFixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = [...sec14Fixtures(pki), ...(await sec14InternationalFixtures(pki))];

describe('SEC-14 signer bound to the single From mailbox (I1–I3; Sender ignored)', () => {
  itVerifiesFixtures(fixtures, pki);
});
