// Issue #9: the policy's trustAnchors join the user's anchors where the send path validates the key
// store's certificates; the policy's anchors are not stored.
import { describe, expect, it } from 'vitest';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { withOrganisationAnchors } from '../../../src/background/policy/organisation-anchors.js';
import type { TrustAnchorRecord } from '../../../src/background/keystore/records.js';

const userAnchor: TrustAnchorRecord = { fingerprintSha256: 'aa', certificate: new Uint8Array([1, 2, 3]), subject: 'CN=User root', addedBy: 'user', purposes: ['emailSigning'], addedAt: '2026-01-01T00:00:00Z' };

describe('organisation anchors', () => {
  it('lists the user\'s anchors for the purpose and every policy anchor, marked as the organisation\'s', async () => {
    const { config, problems } = parseManagedConfig({ trustAnchors: ['MIIB', '-----BEGIN CERTIFICATE-----\nBAUG\n-----END CERTIFICATE-----'] });
    expect(problems).toEqual([]);
    const asked: unknown[] = [];
    const anchors = withOrganisationAnchors({ list: async (purpose) => (asked.push(purpose), purpose === 'emailSigning' ? [userAnchor] : []) }, async () => config);
    const encryption = await anchors.list('emailEncryption');
    expect(encryption.map((a) => [a.addedBy, [...a.certificate]])).toEqual([
      ['organisation', [0x30, 0x82, 0x01]],
      ['organisation', [0x04, 0x05, 0x06]],
    ]);
    expect((await anchors.list('emailSigning')).map((a) => a.addedBy)).toEqual(['user', 'organisation', 'organisation']);
    expect(asked).toEqual(['emailEncryption', 'emailSigning']);
  });

  it('without a policy only the user\'s anchors', async () => {
    const { config } = parseManagedConfig({});
    const anchors = withOrganisationAnchors({ list: async () => [userAnchor] }, async () => config);
    expect(await anchors.list('emailSigning')).toEqual([userAnchor]);
  });
});
