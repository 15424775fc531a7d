// Directory lookup through Thunderbird's own LDAP stack (issue #9): a real slapd on a loopback port
// (test/helpers/slapd.ts) with users made by openssl, and Waxseal's LDAP experiment
// (src/experiments/ldap/implementation.js) run inside the running Thunderbird through Marionette's
// chrome context, so it uses Thunderbird's nsILDAPConnection / nsILDAPOperation exactly as the
// extension does. Checked against the runner's own certificate bytes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const IMPLEMENTATION = path.join(ROOT, 'src/experiments/ldap/implementation.js');

let helpers = null;
function slapdHelpers() {
  helpers ??= (async () => {
    const out = path.join(ROOT, '.tmp/e2e-directory/slapd.mjs');
    await build({ entryPoints: [path.join(ROOT, 'test/helpers/slapd.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
    return import(pathToFileURL(out).href);
  })();
  return helpers;
}

/** A self-signed S/MIME certificate for `email`, DER, made by openssl (the key is thrown away). */
function opensslCertificate(email) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-cert-'));
  try {
    const run = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'),
        '-days', '30', '-subj', `/CN=${email}`, '-addext', `subjectAltName=email:${email}`, '-addext', 'extendedKeyUsage=emailProtection']);
    } catch (error) {
      throw new Error(`openssl failed (install with: apt-get install -y openssl libnss3-tools): ${error.message}`);
    }
    const der = run(['x509', '-in', path.join(dir, 'c.pem'), '-outform', 'DER']);
    const p7 = run(['crl2pkcs7', '-nocrl', '-certfile', path.join(dir, 'c.pem'), '-outform', 'DER']);
    return { der, p7 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Evaluates the experiment's implementation in a system-principal sandbox and calls its API, as Thunderbird
// would after `getAPI()`. Each call's outcome is returned as { entries } or { error }.
const RUN_EXPERIMENT = `
  const [source, requests, prefs] = arguments;
  // An LDAP address book as Thunderbird's own address book dialog writes it (ldap_2.servers.*).
  for (const [name, value] of Object.entries(prefs)) Services.prefs.setStringPref(name, value);
  const sandbox = Cu.Sandbox(Services.scriptSecurityManager.getSystemPrincipal(), { wantGlobalProperties: ['atob', 'btoa', 'TextDecoder'] });
  Object.assign(sandbox, { ChromeUtils, Services, Cc, Ci, Cr, ExtensionCommon: { ExtensionAPI: class {} } });
  Cu.evalInSandbox(source, sandbox, 'latest', 'experiments/ldap/implementation.js', 1);
  const api = new sandbox.waxsealLdap().getAPI({}).waxsealLdap;
  const directories = JSON.parse(JSON.stringify(await api.listDirectories()));
  const results = await Promise.all(requests.map((r) => api.search(Cu.cloneInto(r, sandbox)).then(
    (entries) => ({ entries: JSON.parse(JSON.stringify(entries)) }),
    (e) => ({ error: String((e && e.message) || e) }),
  )));
  for (const name of Object.keys(prefs)) Services.prefs.clearUserPref(name);
  return { directories, results };
`;

const observed = { results: null, error: null, url: null };

export const directoryScenarios = [
  {
    name: 'directory-ldap-experiment',
    description: "Waxseal's LDAP experiment searches a real slapd through Thunderbird's LDAP stack: userSMIMECertificate and userCertificate;binary come back byte for byte, a bind-only entry needs the simple bind, a refused and a silent directory fail within the timeout",
    timeoutMs: 60_000,
    marionette: true,
    async before() {
      const { startSlapd, startSilentServer, ldifBinary } = await slapdHelpers();
      const bob = opensslCertificate('bob@example.com');
      const dave = opensslCertificate('dave@example.com');
      const frank = opensslCertificate('frank@example.com');
      const person = (uid, ou, values, password) =>
        [`dn: uid=${uid},ou=${ou},dc=example,dc=com`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${uid}`, `sn: ${uid}`, `mail: ${uid}@example.com`, ...(password ? [`userPassword: ${password}`] : []), ...values, '', ''].join('\n');
      const slapd = await startSlapd(
        person('bob', 'people', [ldifBinary('userSMIMECertificate', bob.p7)]) +
          person('dave', 'people', [ldifBinary('userCertificate;binary', dave.der)]) +
          person('frank', 'restricted', [ldifBinary('userCertificate;binary', frank.der)], 'frank-password'),
      );
      const silent = await startSilentServer();
      observed.expected = { bob: bob.p7.toString('base64'), dave: dave.der.toString('base64'), frank: frank.der.toString('base64') };
      observed.servers = { slapd, silent };
    },
    async drive({ marionette }) {
      const { slapd, silent } = observed.servers;
      const base = { baseDn: 'dc=example,dc=com', scope: 'sub', attributes: ['userSMIMECertificate', 'userCertificate;binary'], sizeLimit: 8, timeoutMs: 3000 };
      const requests = [
        { ...base, url: slapd.url, filter: '(mail=bob@example.com)' },
        { ...base, url: slapd.url, filter: '(mail=dave@example.com)' },
        { ...base, url: slapd.url, filter: '(mail=frank@example.com)' },
        { ...base, url: slapd.url, filter: '(mail=frank@example.com)', bindDn: 'uid=frank,ou=restricted,dc=example,dc=com', bindPassword: 'frank-password' },
        { ...base, url: slapd.url, filter: '(mail=frank@example.com)', bindDn: 'uid=frank,ou=restricted,dc=example,dc=com', bindPassword: 'wrong' },
        { ...base, url: 'ldap://127.0.0.1:1', filter: '(mail=bob@example.com)' },
        { ...base, url: silent.url, filter: '(mail=bob@example.com)', timeoutMs: 1500 },
      ];
      try {
        const client = await marionette();
        await client.cmd('Marionette:SetContext', { value: 'chrome' });
        const started = Date.now();
        const prefs = { 'ldap_2.servers.waxsealtest.uri': `${slapd.url}/dc=example,dc=com??sub?(objectclass=*)`, 'ldap_2.servers.waxsealtest.description': 'Waxseal test directory' };
        const reply = (await client.cmd('WebDriver:ExecuteScript', { script: `return (async () => { ${RUN_EXPERIMENT} })();`, args: [fs.readFileSync(IMPLEMENTATION, 'utf8'), requests, prefs] })).value;
        observed.results = reply.results;
        observed.directories = reply.directories;
        observed.ms = Date.now() - started;
      } catch (error) {
        observed.error = String(error?.message ?? error);
      } finally {
        await slapd.stop();
        await silent.stop();
      }
    },
    check() {
      if (observed.error) throw new Error(`running the experiment: ${observed.error}`);
      const book = observed.directories.find((d) => d.id === 'ldap_2.servers.waxsealtest');
      if (!book || book.name !== 'Waxseal test directory' || !book.uri.startsWith(observed.servers.slapd.url)) throw new Error(`listDirectories did not report the LDAP address book: ${JSON.stringify(observed.directories)}`);
      const [bob, dave, frankAnonymous, frankBound, frankWrong, refused, silent] = observed.results;
      const value = (result, attribute) => {
        if (result.error) throw new Error(`search failed: ${result.error}`);
        const entry = result.entries[0];
        const key = Object.keys(entry?.attributes ?? {}).find((k) => k.toLowerCase().split(';')[0] === attribute.toLowerCase());
        return key ? entry.attributes[key][0] : null;
      };
      if (value(bob, 'userSMIMECertificate') !== observed.expected.bob) throw new Error(`bob's userSMIMECertificate differs: ${JSON.stringify(bob).slice(0, 300)}`);
      if (value(dave, 'userCertificate') !== observed.expected.dave) throw new Error(`dave's userCertificate;binary differs: ${JSON.stringify(dave).slice(0, 300)}`);
      if (frankAnonymous.error || frankAnonymous.entries.length !== 0) throw new Error(`anonymous search saw the restricted entry: ${JSON.stringify(frankAnonymous).slice(0, 300)}`);
      if (value(frankBound, 'userCertificate') !== observed.expected.frank) throw new Error(`bound search did not return frank's certificate: ${JSON.stringify(frankBound).slice(0, 300)}`);
      if (!frankWrong.error) throw new Error('a wrong bind password did not fail the search');
      if (!refused.error) throw new Error('a refused connection did not fail the search');
      if (!/within 1500 ms/.test(silent.error ?? '')) throw new Error(`a silent directory did not time out: ${JSON.stringify(silent)}`);
    },
  },
];
