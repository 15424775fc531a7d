/**
 * Directory certificates in the compose window's resolution with the organisation's trust anchors
 * from policy (#9, SEC-47a): the same directory certificate is untrusted without the managed anchor
 * and chosen with it; the intermediate comes from the directory's PKCS#7 bundle.
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/crypto/index.js';
import { withDirectoryLookup } from '../../../src/background/directory/compose-source.js';
import type { DirectoryService } from '../../../src/background/directory/directory-service.js';
import type { TrustAnchors } from '../../../src/background/keystore/anchors.js';
import type { Keystore } from '../../../src/background/keystore/keystore.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { resolveRecipients, type RecipientCertificateSource } from '../../../src/background/send/recipients.js';
import { createTestPki, TEST_NOW, toPem, type TestPki } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

const noStored: RecipientCertificateSource = { candidates: async () => ({ candidates: [], directory: 'not-configured' }) };
const noUserAnchors = { list: async () => [] } as unknown as TrustAnchors;
const noIdentities = { listIdentities: async () => [] } as unknown as Keystore;

function directory(): DirectoryService {
  return {
    lookup: async () => ({
      status: 'answered',
      certificates: [{ certificate: pki.users.bob.rsa.certificate, directory: 'Corp' }],
      intermediates: [pki.emailCa.certificate],
      unreachable: [],
      checkedAt: TEST_NOW.toISOString(),
    }),
    cacheMinutes: async () => 60,
    reset: () => undefined,
  };
}

async function resolveBob(trustAnchors: string[]) {
  const { config, problems } = parseManagedConfig({ trustAnchors });
  expect(problems).toEqual([]);
  const source = withDirectoryLookup(noStored, { directory: directory(), anchors: noUserAnchors, keystore: noIdentities, managed: async () => config, crypto, policy: DEFAULT_POLICY, now: () => TEST_NOW });
  const [bob] = await resolveRecipients({ to: ['bob@example.com'], cc: [], bcc: [] }, source, { now: TEST_NOW, crypto });
  return bob!;
}

describe('directory certificates with organisation anchors from policy', () => {
  it('without the organisation root the directory certificate is untrusted', async () => {
    const bob = await resolveBob([]);
    expect(bob.certificate).toBeNull();
    expect(bob.view.problems).toContain('untrusted');
  });

  it('with the root from policy (PEM) it is chosen, shown as from the directory', async () => {
    const bob = await resolveBob([toPem(pki.root.certificate)]);
    expect(bob.view.status).toBe('ok');
    expect(bob.view.certificate?.origin).toBe('directory');
    expect(Buffer.from(bob.certificate!).equals(Buffer.from(pki.users.bob.rsa.certificate))).toBe(true);
  });
});
