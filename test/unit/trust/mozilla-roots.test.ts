/**
 * The bundled Mozilla e-mail roots: every entry carries the S/MIME trust bit, parses as a CA certificate, and
 * the file equals a fresh extraction from the system's NSS builtin roots module by scripts/update-roots.mjs
 * (which needs certutil/modutil; if they are missing this test fails with the install command).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicConstraints, formatName, namesMatch, parseCertificateDer } from '../../../src/crypto/cert/index.js';
import { mozillaEmailAnchors, mozillaRootsSource } from '../../../src/crypto/trust/index.js';

const ROOT = join(__dirname, '../../..');
const bundled = JSON.parse(readFileSync(join(ROOT, 'src/crypto/trust/mozilla-email-roots.json'), 'utf8')) as {
  source: string;
  roots: { label: string; trust: string; der: string }[];
};

describe('Mozilla e-mail trust anchors', () => {
  it('bundles the 108 roots of libnss3 2:3.87.1-1+deb12u4 that have the e-mail trust bit', () => {
    expect(mozillaRootsSource()).toContain('libnss3 2:3.87.1-1+deb12u4');
    expect(bundled.roots).toHaveLength(108);
    for (const root of bundled.roots) expect(root.trust.split(',')[1], root.label).toContain('C');
    const anchors = mozillaEmailAnchors();
    expect(anchors).toHaveLength(108);
    for (const anchor of anchors) {
      expect(anchor).toMatchObject({ source: 'mozilla', purposes: ['email'] });
      const certificate = parseCertificateDer(anchor.der);
      expect(namesMatch(certificate.pkijs.subject, certificate.pkijs.issuer), formatName(certificate.pkijs.subject)).toBe(true);
      const constraints = basicConstraints(certificate);
      if (certificate.pkijs.version >= 2) expect(constraints?.ca, anchor.label).toBe(true);
    }
  });

  it('equals a fresh extraction from the NSS builtin roots module', () => {
    let output: string;
    try {
      output = execFileSync(process.execPath, [join(ROOT, 'scripts/update-roots.mjs'), '--stdout'], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '');
      throw new Error(`update-roots.mjs failed (install NSS tools with: apt-get install -y libnss3 libnss3-tools): ${stderr}`, { cause: error });
    }
    const fresh = JSON.parse(output) as typeof bundled;
    expect(fresh.source).toBe(bundled.source);
    expect(fresh.roots.map((root) => root.label)).toEqual(bundled.roots.map((root) => root.label));
    expect(fresh.roots).toEqual(bundled.roots);
  });
});

describe('anchor lookup by subject', () => {
  it('finds the subject of every bundled root without parsing, equal to the parsed subject', async () => {
    const { certificateSubjectDer } = await import('../../../src/crypto/cert/certificate.js');
    const { encodedName } = await import('../../../src/crypto/cert/names.js');
    for (const anchor of mozillaEmailAnchors()) {
      expect(certificateSubjectDer(anchor.der), anchor.label).toEqual(encodedName(parseCertificateDer(anchor.der).pkijs.subject));
    }
  });
});
