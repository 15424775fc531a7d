// SEC-07: once a compose window is armed, the send hook (src/experiments/compose-crypto/
// implementation.js) writes only what the background returned, and only if it has the promised
// form; every other outcome throws from finishCryptoEncapsulation, which makes Thunderbird abort
// the send (nothing goes out, nothing is stored in Sent). The experiment runs here in a VM context
// with the few Gecko objects it touches faked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const SOURCE = readFileSync(join(__dirname, '../../src/experiments/compose-crypto/implementation.js'), 'utf8');
const DELIVER = { Now: 0, Later: 1, Background: 8, SaveAsDraft: 2 };
const PLAIN = 'Content-Type: text/plain\r\n\r\nsecret canary\r\n';
const ENCRYPTED = 'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\n\r\nMIAGCSqG\r\n';
const SIGNED = 'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b"\r\n\r\n--b\r\n';

type Answer = { mime?: string; error?: string } | Error | 'never';

/** Loads the experiment with fakes and returns its API plus what it did. */
function load(answer: Answer | null) {
  let now = 0;
  const alerts: string[] = [];
  const fired: unknown[] = [];
  const listeners = new Set<(event: { detail: { msgType: number }; preventDefault(): void }) => void>();
  const original = { name: 'thunderbird-smime', haveValidCertForEmail: () => true };
  const fields: Record<string, unknown> = { composeSecure: original, forceMsgEncoding: false, from: 'alice@example.com', to: 'bob@example.com', cc: '', bcc: '' };
  const win = {
    gSendSigned: false,
    gSendEncrypted: false,
    gMsgCompose: { compFields: fields },
    addEventListener: (_: string, handler: never) => listeners.add(handler),
    removeEventListener: (_: string, handler: never) => listeners.delete(handler),
  };
  class EventManager {
    constructor(private readonly options: { register: (fire: unknown) => () => void }) {}
    api() {
      return {
        addListener: () => {
          if (answer === null) return;
          this.options.register({
            // A synchronous thenable: the nested event loop below is faked, so settle at once.
            async: (request: unknown) => {
              fired.push(request);
              return {
                then(ok: (value: unknown) => void, fail: (error: unknown) => void) {
                  if (answer === 'never') return;
                  if (answer instanceof Error) fail(answer);
                  else ok(answer);
                },
              };
            },
          });
        },
      };
    }
  }
  const context = vm.createContext({
    globalThis: undefined as unknown,
    Date: { now: () => now },
    ChromeUtils: {
      importESModule: () => ({ ExtensionUtils: { ExtensionError: Error }, setTimeout: () => 1, clearTimeout: () => {} }),
      generateQI: () => () => {},
    },
    Ci: { nsIMsgCompDeliverMode: DELIVER },
    Cr: { NS_ERROR_FAILURE: 0x80004005 },
    Components: { Exception: (message: string) => new Error(message) },
    Services: {
      tm: {
        spinEventLoopUntil: (_why: string, done: () => boolean) => {
          // The fake loop lets time pass until the condition holds (or the hook's deadline passes).
          while (!done()) now += 1000;
        },
      },
      prompt: { alert: (_w: unknown, _t: string, text: string) => alerts.push(text) },
    },
    ExtensionCommon: { ExtensionAPI: class {}, EventManager },
  });
  context.globalThis = context;
  vm.runInContext(SOURCE, context);
  const Api = context.composeCrypto as new () => { getAPI(ctx: unknown): { composeCrypto: { arm(tabId: number, options: unknown): Promise<void>; onCryptoRequest: { addListener(): void } } } };
  const api = new Api().getAPI({ extension: { tabManager: { get: () => ({ type: 'messageCompose', nativeTab: win }) } }, callOnClose: () => {} }).composeCrypto;
  api.onCryptoRequest.addListener();

  /** Fires compose-send-message and runs the encapsulation like MimeMessage.sys.mjs does. */
  function send(msgType = DELIVER.Now) {
    let prevented = false;
    for (const handler of [...listeners]) handler({ detail: { msgType }, preventDefault: () => (prevented = true) });
    const secure = fields.composeSecure as Record<string, (...args: unknown[]) => unknown>;
    if (prevented || (secure as unknown) === original) return { prevented, swapped: false, written: null as string | null, threw: null as string | null, report: {} as { errMessage?: string } };
    let written: string | null = null;
    const report: { errMessage?: string } = {};
    secure.beginCryptoEncapsulation!({ write: (text: string) => (written = (written ?? '') + text) }, 'bob@example.com', fields, '', { email: 'alice@example.com', key: 'id1' }, report, false);
    secure.mimeCryptoWriteBlock!(PLAIN, PLAIN.length);
    let threw: string | null = null;
    try {
      secure.finishCryptoEncapsulation!(false, report);
    } catch (error) {
      threw = String((error as Error).message);
    }
    return { prevented, swapped: true, written, threw, report };
  }
  return { api, send, fields, original, win, alerts, fired };
}

describe('SEC-07: the send hook never falls back to the unprotected entity', () => {
  it('writes the encrypted entity the background returns, and restores Thunderbird\'s object', async () => {
    const hook = load({ mime: ENCRYPTED });
    await hook.api.arm(1, { sendId: 's1', sign: false, encrypt: true });
    const outcome = hook.send();
    expect(outcome).toMatchObject({ swapped: true, threw: null, written: ENCRYPTED });
    expect(hook.fields.composeSecure).toBe(hook.original);
    expect(hook.fields.forceMsgEncoding).toBe(true);
    expect(hook.fired[0]).toMatchObject({ tabId: 1, deliverMode: 'now', entity: PLAIN, options: { sendId: 's1', encrypt: true } });
  });

  const failures: [string, Answer, RegExp][] = [
    ['the background answers with an error', { error: 'no certificate for carol@example.com' }, /no certificate for carol/],
    ['the background\'s listener throws', new Error('boom'), /boom/],
    ['the background returns the plaintext although encryption was requested', { mime: PLAIN }, /did not return an encrypted message/],
    ['the background returns a signed but unencrypted entity for an encrypted send', { mime: SIGNED }, /did not return an encrypted message/],
    ['the background returns nothing', {}, /returned nothing/],
    ['the background never answers', 'never', /did not answer within 2 minutes/],
  ];
  for (const [what, answer, message] of failures) {
    it(`aborts the send when ${what}`, async () => {
      const hook = load(answer);
      await hook.api.arm(1, { sendId: 's1', sign: true, encrypt: true });
      const outcome = hook.send();
      expect(outcome.written).toBeNull();
      expect(outcome.threw).toMatch(message);
      expect(outcome.report.errMessage).toMatch(/^Waxseal: /);
      expect(hook.fields.composeSecure).toBe(hook.original);
    });
  }

  it('aborts a signed send whose answer is not signed', async () => {
    const hook = load({ mime: PLAIN });
    await hook.api.arm(1, { sendId: 's1', sign: true, encrypt: false });
    const outcome = hook.send();
    expect(outcome.written).toBeNull();
    expect(outcome.threw).toMatch(/did not return a signed message/);
  });

  it('refuses to take over when Thunderbird\'s own encryption is on (two encapsulations), and says so', async () => {
    const hook = load({ mime: ENCRYPTED });
    hook.win.gSendEncrypted = true;
    await hook.api.arm(1, { sendId: 's1', sign: false, encrypt: true });
    const outcome = hook.send();
    expect(outcome.prevented).toBe(true);
    expect(hook.alerts[0]).toMatch(/Thunderbird's own signing or encryption/);
  });

  it('cancels the send when Waxseal\'s background is not listening, instead of sending unprotected', async () => {
    const hook = load(null);
    await hook.api.arm(1, { sendId: 's1', sign: false, encrypt: true });
    const outcome = hook.send();
    expect(outcome.prevented).toBe(true);
    expect(hook.alerts[0]).toMatch(/Waxseal is not running/);
  });

  it('leaves draft saves alone and stays armed for the real send', async () => {
    const hook = load({ mime: ENCRYPTED });
    await hook.api.arm(1, { sendId: 's1', sign: false, encrypt: true });
    expect(hook.send(DELIVER.SaveAsDraft)).toMatchObject({ swapped: false, prevented: false });
    expect(hook.send(DELIVER.Later)).toMatchObject({ swapped: true, written: ENCRYPTED });
    expect(hook.fired[0]).toMatchObject({ deliverMode: 'later' });
  });
});
