// A private copy of the Thunderbird installation with an enterprise policy (policies.json), for the
// managed-rollout scenario (issue #9). Release Thunderbird reads policies only from system paths
// (EnterprisePoliciesParent.sys.mjs in omni.ja, _getLocalConfigurationFile): /etc/thunderbird/policies/
// policies.json (SysConfD), else <install dir>/distribution/policies.json (XREAppDist); the
// `browser.policies.alternatePath` pref is honoured only in automation or Nightly builds. Tests must not
// write into /etc or /usr, so the runner starts Thunderbird from a temp directory that mirrors the
// installation, with distribution/policies.json added.
//
// Everything is a symlink except the executable: Thunderbird finds its own directory from the real
// path of the binary (symlinks resolved), so a symlinked thunderbird-bin runs as /usr/lib/thunderbird and
// never sees our distribution/ (checked: with a symlinked binary the policy log names no policies.json,
// with a copied one it reads <copy>/distribution/policies.json). libxul.so, omni.ja and the rest are
// loaded from that directory through the symlinks, so only the ~600 kB launcher is copied.
import fs from 'node:fs';
import path from 'node:path';

export const THUNDERBIRD_DIR = process.env.WAXSEAL_THUNDERBIRD_DIR || '/usr/lib/thunderbird';
const BINARY = 'thunderbird-bin';
/** The system-wide policy file, which would win over ours (SysConfD on Debian and Ubuntu). */
export const SYSTEM_POLICIES = '/etc/thunderbird/policies/policies.json';

/**
 * Writes `<dir>` as a private Thunderbird installation with `policies` (the whole policies.json
 * object, `{ policies: {...} }`) in distribution/. Answers the path of the executable to start.
 */
export function makePrivateInstall(dir, policies, { source = THUNDERBIRD_DIR } = {}) {
  if (!fs.existsSync(path.join(source, BINARY))) {
    throw new Error(`${path.join(source, BINARY)} missing: apt-get install -y thunderbird (or set WAXSEAL_THUNDERBIRD_DIR to the installation directory)`);
  }
  if (fs.existsSync(SYSTEM_POLICIES)) {
    throw new Error(`${SYSTEM_POLICIES} exists and would override the test's policies.json; run the managed-policy scenario on a machine without a system-wide Thunderbird policy`);
  }
  if (!policies || typeof policies.policies !== 'object') throw new Error('policies.json content must be an object with a "policies" member');
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(source)) {
    if (entry === 'distribution') continue;
    const from = path.join(source, entry);
    const to = path.join(dir, entry);
    if (entry === BINARY) fs.copyFileSync(from, to);
    else if (entry === 'thunderbird' && fs.lstatSync(from).isSymbolicLink()) fs.symlinkSync(BINARY, to);
    else fs.symlinkSync(fs.realpathSync(from), to);
  }
  fs.chmodSync(path.join(dir, BINARY), 0o755);
  fs.mkdirSync(path.join(dir, 'distribution'));
  fs.writeFileSync(path.join(dir, 'distribution', 'policies.json'), JSON.stringify(policies, null, 2) + '\n');
  return path.join(dir, BINARY);
}
