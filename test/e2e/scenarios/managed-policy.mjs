// Managed rollout end to end (issue #9), runner side; the companion half is in
// ../companion/managed-scenarios.js. A policies.json with every managed key, read by a real Thunderbird
// started from a private installation (../lib/private-install.mjs; the runner sets that up for a
// scenario with `policies`). Over Marionette: Thunderbird's policy engine reports the policy active; the
// options page offers the organisation's identity (an encrypted .p12 made here with openssl, delivered
// as `provisionedIdentity.data`) and imports it with only its password, and the runner compares the
// imported certificate's fingerprint with the one openssl made; the page shows every managed setting
// locked and lists the policy's one invalid value. Then the companion composes to bob without touching
// Sign or Encrypt, and the SMTP sink's message must be signed and encrypted (the locked defaults) with
// AES-128-CBC, the only algorithm the policy allows (Waxseal's own choice would be AES-256-CBC), read
// back with `openssl cms -cmsout -print`, decrypted with alice's key and verified against the
// organisation root, which is trusted only through the policy's trustAnchors.
// TEST KEYS AND PASSWORDS — NOT SECRET.
import fs from 'node:fs';
import path from 'node:path';
import { mainWindow, ok, openOptions, openssl, page, until, closeTab } from '../lib/marionette-pages.mjs';

const WAXSEAL_ID = 'waxseal@waxseal.org';
const P12_PASSWORD = 'provisioned p12 password';
const PASSPHRASE = 'managed policy e2e passphrase 7';
const AUTO_LOCK_MINUTES = 7;
const LABEL = 'Example Corp e-mail certificate';
const SUBJECT = 'Waxseal e2e managed policy';
const CANARY = 'managed-policy-canary-5f1e';
const INVALID_PROBLEM = 'directoryCacheMinutes: must be 0–10080';

/** What the runner made and saw; read by `check`. */
const state = { made: null, observed: {} };

/** An organisation root, alice's e-mail certificate under it in an encrypted .p12, and bob's certificate. */
function makeOrganisation(dir) {
  const file = (name) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('root.key'), '-out', file('root.pem'), '-days', '365', '-subj', '/O=Example Corp/CN=Example Corp Root E2E',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  for (const [who, address] of [['alice', 'alice@example.com'], ['bob', 'bob@example.com']]) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${who}.key`), '-out', file(`${who}.csr`), '-subj', `/O=Example Corp/CN=${who} managed e2e`]);
    fs.writeFileSync(file(`${who}.cnf`), `[leaf]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:${address}\n`);
    openssl(['x509', '-req', '-in', file(`${who}.csr`), '-CA', file('root.pem'), '-CAkey', file('root.key'), '-CAcreateserial', '-out', file(`${who}.pem`), '-days', '365', '-extfile', file(`${who}.cnf`), '-extensions', 'leaf']);
  }
  openssl(['pkcs12', '-export', '-inkey', file('alice.key'), '-in', file('alice.pem'), '-certfile', file('root.pem'), '-out', file('alice.p12'), '-passout', `pass:${P12_PASSWORD}`, '-name', 'Alice (Example Corp)']);
  const fingerprint = openssl(['x509', '-in', file('alice.pem'), '-noout', '-fingerprint', '-sha256']).toString().split('=')[1].trim().replace(/:/g, '').toLowerCase();
  const der = (name) => openssl(['x509', '-in', file(name), '-outform', 'DER']);
  return { dir, fingerprint, p12: fs.readFileSync(file('alice.p12')), rootPem: fs.readFileSync(file('root.pem'), 'utf8'), bobDer: der('bob.pem'), file };
}

/** Every managed key of README "Managed deployment", plus one invalid value that must be reported, not applied. */
function policiesFor(made) {
  return {
    policies: {
      '3rdparty': {
        Extensions: {
          [WAXSEAL_ID]: {
            // A closed loopback port: lookups fail at once ("directory could not be reached") and never block.
            directories: [{ name: 'Example Corp directory', url: 'ldap://127.0.0.1:1/ou=people,dc=example,dc=com??sub' }],
            useAddressBookDirectories: false,
            directoryTimeoutSeconds: 1,
            directoryCacheMinutes: 99_999,
            trustAnchors: [made.rootPem],
            signByDefault: true,
            encryptWhenPossible: { value: true, locked: false },
            requireEncryption: true,
            autoLockMinutes: AUTO_LOCK_MINUTES,
            allowedContentEncryption: ['AES-128-CBC'],
            harvestCertificates: true,
            provisionedIdentity: { label: LABEL, data: made.p12.toString('base64') },
          },
        },
      },
    },
  };
}

/** Chrome JS: the policy engine's view (Services.policies), as about:policies shows it. */
const POLICY_STATUS = `
  const active = Services.policies.status === Ci.nsIEnterprisePolicies.ACTIVE;
  const policies = Services.policies.getActivePolicies() || {};
  const ours = policies['3rdparty'] && policies['3rdparty'].Extensions && policies['3rdparty'].Extensions['${WAXSEAL_ID}'];
  return { active, keys: ours ? Object.keys(ours).sort() : null };`;

export const managedScenarios = [
  {
    name: 'managed-policy',
    description: 'a policies.json with every managed key, read by Thunderbird from a private installation: the settings apply and show locked, the provisioned .p12 imports with its password, and sent mail uses the only allowed algorithm',
    marionette: true,
    timeoutMs: 60_000,
    policies({ dir }) {
      state.made = makeOrganisation(dir);
      state.observed = {};
      return policiesFor(state.made);
    },
    args: () => ({ to: 'Bob <bob@example.com>', subject: SUBJECT, body: `Hello Bob, ${CANARY}.` }),
    async drive({ marionette, screenshot }) {
      const { made, observed } = state;
      const client = await mainWindow(await marionette());
      observed.policyEngine = (await client.cmd('WebDriver:ExecuteScript', { script: POLICY_STATUS, args: [] })).value;
      const status = await openOptions(client);
      observed.firstStatus = { initialised: status.initialised, organisation: status.organisation };
      try {
        await until(client, `q('options-page') && q('options-page').dataset.ready === 'true'`, 'the options page to be ready');
        observed.firstView = await page(client, `return q('options-page').dataset.view;`);
        await page(client, `click('setup-ack'); return true;`);
        await until(client, `!q('setup-continue').disabled`, 'the notice to be acknowledged');
        await page(client, `click('setup-continue'); return true;`);
        observed.offer = await until(client, `q('setup-provisioned') && q('setup-provisioned').textContent`, 'the offer of the organisation\'s identity');
        screenshot('managed-offer');
        await page(client, `click('setup-provisioned-use'); return true;`);
        await until(client, `q('setup-p12-password')`, 'the password step');
        await page(client, `fill('setup-p12-password', arguments[0]); click('setup-continue'); return true;`, [P12_PASSWORD]);
        await until(client, `q('setup-passphrase-new')`, 'the passphrase step');
        await page(client, `fill('setup-passphrase-new', arguments[0]); fill('setup-passphrase-confirm', arguments[0]); return true;`, [PASSPHRASE]);
        await until(client, `!q('setup-import').disabled`, 'an acceptable passphrase');
        await page(client, `click('setup-import'); return true;`);
        await until(client, `q('setup-done') || q('setup-error')`, 'the import', 30_000);
        const importError = await page(client, `return q('setup-error') ? q('setup-error').textContent : null;`);
        if (importError) throw new Error(`importing the provisioned identity failed in the page: ${importError}`);

        await page(client, `click('nav-identities'); return true;`);
        observed.fingerprints = await until(client, `[...doc.querySelectorAll('[data-testid="identity-fingerprint"]')].map((e) => e.textContent.replace(/[^0-9a-f]/gi, '').toLowerCase())`, 'the imported identity');
        screenshot('managed-identities');

        await page(client, `click('nav-defaults'); return true;`);
        await until(client, `q('defaults-address')`, 'the defaults view');
        observed.defaults = await page(client, `
          const box = (testid) => { const b = q(testid); return b ? { checked: b.checked, disabled: b.disabled } : null; };
          const text = (testid) => (q(testid) ? q(testid).textContent.trim() : null);
          return {
            sign: box('defaults-signByDefault'), signNote: text('defaults-signByDefault-managed'),
            require: box('defaults-requireEncryption'), requireNote: text('defaults-requireEncryption-managed'),
            encrypt: box('defaults-encryptWhenPossible'), encryptNote: text('defaults-encryptWhenPossible-managed'),
            algorithms: ['AES-256-GCM', 'AES-128-GCM', 'AES-256-CBC', 'AES-128-CBC'].map((a) => [a, box('algorithm-' + a)]),
            algorithmsNote: text('algorithms-managed'),
            problems: text('policy-problems'),
            harvest: box('policy-harvestCertificates'), addressBooks: box('policy-useAddressBookDirectories'), settingsNote: text('policy-settings-managed'),
            directories: text('policy-directories'),
            anchors: text('policy-anchors'),
          };`);
        screenshot('managed-defaults');

        await page(client, `click('nav-passphrase'); return true;`);
        await until(client, `q('auto-lock')`, 'the passphrase view');
        if (await page(client, `return !!q('unlock-passphrase');`)) {
          await page(client, `fill('unlock-passphrase', arguments[0]); return true;`, [PASSPHRASE]);
          await until(client, `!q('unlock-submit').disabled`, 'the unlock form to accept');
          await page(client, `click('unlock-submit'); return true;`);
          await until(client, `!q('unlock-passphrase')`, 'the key store to unlock', 20_000);
        }
        observed.autoLock = await page(client, `return { value: q('auto-lock').value, disabled: q('auto-lock').disabled, note: q('auto-lock-managed') && q('auto-lock-managed').textContent };`);
        screenshot('managed-passphrase');

        // bob's certificate, from the options page like a user import; it chains only to the policy's root.
        await ok(client, 'importPersonCertificates', { address: 'bob@example.com' }, { certificates: made.bobDer.toString('base64') });
      } finally {
        await closeTab(client);
      }
    },
    check({ result, sink }) {
      const { made, observed } = state;
      const fail = (what) => {
        throw new Error(`${what}; observed ${JSON.stringify(observed)}`);
      };
      // Thunderbird read our distribution/policies.json: the policy engine is active and hands Waxseal every key.
      const keys = ['allowedContentEncryption', 'autoLockMinutes', 'directories', 'directoryCacheMinutes', 'directoryTimeoutSeconds', 'encryptWhenPossible', 'harvestCertificates', 'provisionedIdentity', 'requireEncryption', 'signByDefault', 'trustAnchors', 'useAddressBookDirectories'];
      if (!observed.policyEngine?.active || JSON.stringify(observed.policyEngine.keys) !== JSON.stringify(keys)) fail('Thunderbird did not load the policy');
      // Waxseal got it through storage.managed: first start, the organisation's identity offered by its label.
      if (observed.firstView !== 'setup' || observed.firstStatus.initialised) fail('the first start did not open the setup');
      if (!observed.offer?.includes(LABEL)) fail('the provisioned identity was not offered');
      if (JSON.stringify(observed.fingerprints) !== JSON.stringify([made.fingerprint])) fail(`the imported identity is not the provisioned one (openssl: ${made.fingerprint})`);
      const locked = { checked: true, disabled: true };
      const note = 'Set by your organisation';
      const d = observed.defaults;
      if (JSON.stringify(d.sign) !== JSON.stringify(locked) || d.signNote !== note) fail('sign by default is not shown locked on');
      if (JSON.stringify(d.require) !== JSON.stringify(locked) || d.requireNote !== note) fail('require encryption is not shown locked on');
      // `{ value, locked: false }`: the organisation's default, still the user's to change.
      if (JSON.stringify(d.encrypt) !== JSON.stringify({ checked: true, disabled: false }) || d.encryptNote) fail('the unlocked encrypt default is not shown as a changeable default');
      const expectedAlgorithms = [['AES-256-GCM', { checked: false, disabled: true }], ['AES-128-GCM', { checked: false, disabled: true }], ['AES-256-CBC', { checked: false, disabled: true }], ['AES-128-CBC', { checked: true, disabled: true }]];
      if (JSON.stringify(d.algorithms) !== JSON.stringify(expectedAlgorithms) || d.algorithmsNote !== note) fail('the allowed algorithms are not shown locked');
      if (!d.problems?.includes(INVALID_PROBLEM)) fail('the invalid policy value is not reported on the options page');
      if (JSON.stringify([d.harvest, d.addressBooks]) !== JSON.stringify([locked, { checked: false, disabled: true }]) || d.settingsNote !== note) fail('harvesting and address-book search are not shown as the policy sets them');
      if (!d.directories?.includes('Example Corp directory') || !d.directories.includes('ldap://127.0.0.1:1/ou=people,dc=example,dc=com')) fail('the policy\'s directory is not listed');
      if (d.anchors !== 'Root certificates your organisation trusts for e-mail: 1') fail('the organisation root is not counted');
      if (observed.autoLock.value !== String(AUTO_LOCK_MINUTES) || !observed.autoLock.disabled || observed.autoLock.note !== note) fail('the managed auto-lock is not in effect and locked');
      if (result.messages !== 1) fail(`compose.sendMessage reported ${JSON.stringify(result)}`);

      const message = sink.messages.find((m) => m.bytes.includes(`Subject: ${SUBJECT}`));
      if (!message) throw new Error(`no message "${SUBJECT}" at the SMTP sink (${sink.messages.length} there)`);
      if (message.bytes.includes(CANARY)) throw new Error('the body reached the sink in clear text');
      const eml = made.file('sent.eml');
      fs.writeFileSync(eml, message.bytes);
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'SMIME', '-in', eml]).toString();
      const algorithm = /contentEncryptionAlgorithm:\s*\n?\s*algorithm:\s*(\S+)/.exec(printed)?.[1];
      if (algorithm !== 'aes-128-cbc') throw new Error(`the message is encrypted with ${algorithm}, the policy allows only AES-128-CBC`);
      const inner = openssl(['cms', '-decrypt', '-in', eml, '-recip', made.file('alice.pem'), '-inkey', made.file('alice.key')]);
      fs.writeFileSync(made.file('inner.eml'), inner);
      // Signed inside (the locked sign default), by alice's provisioned certificate, chaining to the policy's root.
      const verified = openssl(['cms', '-verify', '-in', made.file('inner.eml'), '-CAfile', made.file('root.pem')]).toString();
      // The signed entity (with the protected header fields, SEC-21); Thunderbird may have base64-encoded the text.
      const [head, ...rest] = verified.split(/\r?\n\r?\n/);
      const body = /content-transfer-encoding:\s*base64/i.test(head) ? Buffer.from(rest.join('\n'), 'base64').toString('utf8') : rest.join('\n\n');
      if (!body.includes(CANARY)) throw new Error(`the signed content is not the message body:\n${verified.slice(0, 800)}`);
      openssl(['cms', '-verify', '-in', made.file('inner.eml'), '-CAfile', made.file('root.pem'), '-signer', made.file('signer.pem'), '-out', made.file('verified.txt')]);
      const signerFingerprint = openssl(['x509', '-in', made.file('signer.pem'), '-noout', '-fingerprint', '-sha256']).toString().split('=')[1].trim().replace(/:/g, '').toLowerCase();
      if (signerFingerprint !== made.fingerprint) throw new Error(`signed by ${signerFingerprint}, not the provisioned identity ${made.fingerprint}`);
    },
  },
];
