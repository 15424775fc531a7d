/** What bench/keystore.bench.mjs measures, as one bundle entry. */
export { openKeystoreDb } from '../src/background/keystore/db.js';
export { Keystore } from '../src/background/keystore/keystore.js';
export { createKeySession } from '../src/background/keystore/session.js';
export { PeopleCertificates } from '../src/background/keystore/people.js';
export { DEFAULT_KEYSTORE_POLICY } from '../src/crypto/index.js';
