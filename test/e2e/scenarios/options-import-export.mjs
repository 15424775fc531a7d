// Options page end to end (issue #8), runner side; the companion half is in
// ../companion/options-scenarios.js. In the real Thunderbird, over Marionette: open the options page,
// import a .p12 made by openssl through the page's own file input, choose the passphrase (or, when an
// earlier scenario provisioned the key store, use its passphrase), see the identity listed, change the
// passphrase, export a backup and check with `openssl pkcs12` that it opens with the chosen password and
// holds the same key and certificate. A screenshot per view.
// TEST KEY, P12 PASSWORD AND PASSPHRASES — NOT SECRET.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mainWindow, openOptions, openssl, page, setFile, until } from '../lib/marionette-pages.mjs';

const P12_PASSWORD = 'e2e p12 password';
const PROVISIONED_PASSPHRASE = 'correct horse battery staple';
const FIRST_PASSPHRASE = 'options e2e first passphrase 1';
const SECOND_PASSPHRASE = 'options e2e second passphrase 2';
const EXPORT_PASSWORD = 'options e2e backup password 3';
const ADDRESS = 'alice@example.com';

/** A fresh e-mail certificate and key for alice in a .p12 (AES, as OpenSSL 3 writes by default). */
function makeP12(dir) {
  const key = path.join(dir, 'alice.key');
  const cert = path.join(dir, 'alice.pem');
  const p12 = path.join(dir, 'alice-options-e2e.p12');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '365', '-subj', '/CN=Alice Options E2E',
    '-addext', `subjectAltName=email:${ADDRESS}`, '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment', '-addext', 'extendedKeyUsage=emailProtection', '-addext', 'basicConstraints=critical,CA:FALSE']);
  openssl(['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', `pass:${P12_PASSWORD}`, '-name', 'Alice options e2e']);
  const fingerprint = openssl(['x509', '-in', cert, '-noout', '-fingerprint', '-sha256']).toString().split('=')[1].trim().replace(/:/g, '').toLowerCase();
  const modulus = openssl(['rsa', '-in', key, '-noout', '-modulus']).toString().trim();
  return { p12, fingerprint, modulus };
}

const observed = {};

export const optionsScenarios = [
  {
    name: 'options-import-export',
    description: 'the options page imports an openssl .p12 through its file input, lists the identity, changes the passphrase and exports a backup that openssl pkcs12 opens',
    marionette: true,
    timeoutMs: 120_000,
    args: () => ({}),
    async drive({ marionette, screenshot }) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-options-'));
      try {
        const made = makeP12(dir);
        const client = await mainWindow(await marionette());
        try {
        await openOptions(client);
        await until(client, `q('options-page') && q('options-page').dataset.ready === 'true'`, 'the options page to be ready');
        const firstRun = (await page(client, `return q('options-page').dataset.view;`)) === 'setup';
        observed.firstRun = firstRun;
        let current;
        if (firstRun) {
          screenshot('options-setup-notice');
          await page(client, `click('setup-ack'); return true;`);
          await until(client, `!q('setup-continue').disabled`, 'the notice to be acknowledged');
          await page(client, `click('setup-continue'); return true;`);
          await until(client, `q('setup-file')`, 'the file step');
          await setFile(client, 'setup-file', made.p12);
          await until(client, `!q('setup-continue').disabled`, 'the file to be taken');
          await page(client, `click('setup-continue'); return true;`);
          await until(client, `q('setup-p12-password')`, 'the password step');
          await page(client, `fill('setup-p12-password', arguments[0]); click('setup-continue'); return true;`, [P12_PASSWORD]);
          await until(client, `q('setup-passphrase-new')`, 'the passphrase step');
          await page(client, `fill('setup-passphrase-new', arguments[0]); fill('setup-passphrase-confirm', arguments[0]); return true;`, [FIRST_PASSPHRASE]);
          await until(client, `!q('setup-import').disabled`, 'an acceptable passphrase');
          screenshot('options-setup-passphrase');
          await page(client, `click('setup-import'); return true;`);
          await until(client, `q('setup-done') || q('setup-error')`, 'the import', 60_000);
          const error = await page(client, `return q('setup-error') ? q('setup-error').textContent : null;`);
          if (error) throw new Error(`import failed in the page: ${error}`);
          screenshot('options-setup-done');
          current = FIRST_PASSPHRASE;
        } else {
          await until(client, `q('import-more-file')`, 'the import form');
          await setFile(client, 'import-more-file', made.p12);
          await page(client, `fill('import-more-password', arguments[0]); fill('import-more-passphrase', arguments[1]); return true;`, [P12_PASSWORD, PROVISIONED_PASSPHRASE]);
          await until(client, `!q('import-more-submit').disabled`, 'the file to be taken');
          await page(client, `click('import-more-submit'); return true;`);
          await until(client, `q('import-more-done') || q('import-more-error')`, 'the import', 60_000);
          const error = await page(client, `return q('import-more-error') ? q('import-more-error').textContent : null;`);
          if (error) throw new Error(`import failed in the page: ${error}`);
          current = PROVISIONED_PASSPHRASE;
        }
        await page(client, `click('nav-identities'); return true;`);
        const fingerprintShown = made.fingerprint.toUpperCase().match(/../g).join(':');
        observed.listed = await until(client, `[...doc.querySelectorAll('[data-testid="identity"]')].map((c) => c.textContent).find((text) => text.includes(${JSON.stringify(fingerprintShown)}))`, 'the imported identity in My identities');
        screenshot('options-identities');

        await page(client, `click('nav-passphrase'); return true;`);
        await until(client, `q('change-current')`, 'the passphrase view');
        await page(client, `fill('change-current', arguments[0]); fill('change-new', arguments[1]); fill('change-confirm', arguments[1]); return true;`, [current, SECOND_PASSPHRASE]);
        await until(client, `!q('change-submit').disabled`, 'the change form to accept');
        await page(client, `click('change-submit'); return true;`);
        await until(client, `q('change-done') || q('change-error')`, 'the passphrase change', 60_000);
        const changeError = await page(client, `return q('change-error') ? q('change-error').textContent : null;`);
        if (changeError) throw new Error(`change failed: ${changeError}`);
        screenshot('options-passphrase');

        await page(client, `click('nav-identities'); return true;`);
        await until(client, `q('identity')`, 'the identities view');
        // Capture the backup the page hands to the browser as a blob (the same bytes the download saves).
        await page(client, `
          const waived = Cu.waiveXrays(win);
          const original = waived.URL.createObjectURL;
          win.__waxsealE2eBlob = null;
          waived.URL.createObjectURL = Cu.exportFunction(function (blob) { Cu.waiveXrays(win).__waxsealE2eBlob = blob; return original.call(waived.URL, blob); }, win);
          const card = [...doc.querySelectorAll('[data-testid="identity"]')].find((c) => c.textContent.includes(arguments[0]));
          card.querySelector('[data-testid="identity-export-open"]').click();
          return true;`, [fingerprintShown]);
        await until(client, `q('export-form')`, 'the export form');
        await page(client, `
          const form = q('export-form');
          const set = (input, value) => { input.value = value; input.dispatchEvent(new win.Event('input', { bubbles: true })); };
          const passwords = form.querySelectorAll('input[type="password"]');
          set(passwords[0], arguments[0]);
          set(passwords[1], arguments[1]);
          set(passwords[2], arguments[1]);
          return true;`, [SECOND_PASSPHRASE, EXPORT_PASSWORD]);
        await until(client, `!q('export-submit').disabled`, 'the export form to accept');
        await page(client, `click('export-submit'); return true;`);
        await until(client, `q('export-done') || q('export-error')`, 'the export', 60_000);
        const exportError = await page(client, `return q('export-error') ? q('export-error').textContent : null;`);
        if (exportError) throw new Error(`export failed: ${exportError}`);
        screenshot('options-export');
        const b64 = await page(client, `
          const blob = Cu.waiveXrays(win).__waxsealE2eBlob;
          if (!blob) return null;
          return new Promise((resolve) => {
            const reader = new win.FileReader();
            reader.onload = () => resolve(String(reader.result).split(',')[1]);
            reader.readAsDataURL(blob);
          });`);
        if (!b64) throw new Error('the page did not hand a backup to the browser');
        const backup = path.join(dir, 'backup.p12');
        fs.writeFileSync(backup, Buffer.from(b64, 'base64'));
        const certs = openssl(['pkcs12', '-in', backup, '-passin', `pass:${EXPORT_PASSWORD}`, '-nokeys']).toString();
        const keyPem = openssl(['pkcs12', '-in', backup, '-passin', `pass:${EXPORT_PASSWORD}`, '-nocerts', '-nodes']);
        const exportedFingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], certs).toString().split('=')[1].trim().replace(/:/g, '').toLowerCase();
        const exportedModulus = openssl(['rsa', '-noout', '-modulus'], keyPem).toString().trim();
        observed.backup = { sameCertificate: exportedFingerprint === made.fingerprint, sameKey: exportedModulus === made.modulus };
        let wrongPasswordRefused = false;
        try {
          openssl(['pkcs12', '-in', backup, '-passin', 'pass:not the password', '-nokeys']);
        } catch {
          wrongPasswordRefused = true;
        }
        observed.backup.wrongPasswordRefused = wrongPasswordRefused;
        for (const view of ['people', 'trust', 'defaults']) {
          await page(client, `click('nav-' + arguments[0]); return true;`, [view]);
          await until(client, `q('view-' + ${JSON.stringify(view)})`, `the ${view} view`);
          screenshot(`options-${view}`);
        }
        // Back to the passphrase the run started with, so scenarios after this one still unlock.
        await page(client, `click('nav-passphrase'); return true;`);
        await until(client, `q('change-current')`, 'the passphrase view');
        await page(client, `fill('change-current', arguments[0]); fill('change-new', arguments[1]); fill('change-confirm', arguments[1]); return true;`, [SECOND_PASSPHRASE, current]);
        await until(client, `!q('change-submit').disabled`, 'the change form to accept');
        await page(client, `click('change-submit'); return true;`);
        await until(client, `q('change-done') || q('change-error')`, 'the passphrase change back', 60_000);
        observed.restored = await page(client, `return q('change-error') ? q('change-error').textContent : 'restored';`);
        } finally {
          await client.cmd('WebDriver:ExecuteScript', { script: "document.getElementById('tabmail').closeTab(document.getElementById('tabmail').currentTabInfo); return true;", args: [] }).catch(() => {});
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    check({ result }) {
      assert.equal(observed.restored, 'restored', 'changing the passphrase back failed');
      assert.ok(observed.listed, 'the imported identity was not listed');
      assert.equal(observed.backup?.sameCertificate, true, `the backup does not hold the imported certificate: ${JSON.stringify(observed.backup)}`);
      assert.equal(observed.backup?.sameKey, true, `the backup does not hold the imported key: ${JSON.stringify(observed.backup)}`);
      assert.equal(observed.backup.wrongPasswordRefused, true, 'openssl opened the backup with a wrong password');
      for (const name of ['importPkcs12', 'changePassphrase', 'exportPkcs12']) {
        const request = result.requests.find((r) => r.name === name);
        assert.ok(request?.ok, `${name} did not succeed: ${JSON.stringify(request)}`);
        assert.match(request.senderUrl, /\/options\/index\.html$/, `${name} came from elsewhere than the options page`);
      }
    },
  },
];
