// Writes a fresh Thunderbird profile: only user.js (Thunderbird fills in the rest on first start) plus
// extensions dropped into <profile>/extensions/<id>.xpi (docs: /work/shared/docs/thunderbird.md §1.3, §2).
// Local Folders with the identity alice@example.com, and an SMTP server entry on 127.0.0.1:<smtpPort>
// without authentication or TLS. Used by the e2e runner and by `npm start` (scripts/start.mjs).
import fs from 'node:fs';
import path from 'node:path';

/**
 * @param {string} dir profile directory (created; must not hold a previous profile)
 * @param {{ smtpPort: number, extensions?: { id: string, xpi: string }[], marionette?: boolean, extraPrefs?: Record<string, string|number|boolean> }} options
 */
export function writeProfile(dir, { smtpPort, extensions = [], marionette = false, extraPrefs = {} }) {
  fs.mkdirSync(dir, { recursive: true });
  const prefs = {
    // accounts: Local Folders (server1) + identity alice + SMTP on localhost
    'mail.accountmanager.accounts': 'account1',
    'mail.accountmanager.defaultaccount': 'account1',
    'mail.accountmanager.localfoldersserver': 'server1',
    'mail.account.account1.server': 'server1',
    'mail.account.account1.identities': 'id1',
    'mail.server.server1.type': 'none',
    'mail.server.server1.hostname': 'Local Folders',
    'mail.server.server1.userName': 'nobody',
    'mail.server.server1.name': 'Local Folders',
    'mail.server.server1.directory-rel': '[ProfD]Mail/Local Folders',
    'mail.identity.id1.fullName': 'Alice Test',
    'mail.identity.id1.useremail': 'alice@example.com',
    'mail.identity.id1.smtpServer': 'smtp1',
    'mail.identity.id1.valid': true,
    'mail.identity.id1.compose_html': false,
    'mail.smtpservers': 'smtp1',
    'mail.smtp.defaultserver': 'smtp1',
    'mail.smtpserver.smtp1.type': 'smtp',
    'mail.smtpserver.smtp1.hostname': '127.0.0.1',
    'mail.smtpserver.smtp1.port': smtpPort,
    'mail.smtpserver.smtp1.authMethod': 1, // no authentication
    'mail.smtpserver.smtp1.try_ssl': 0, // plain
    'mail.smtpserver.smtp1.username': '',
    // no first-run UI, wizards or nags
    'mail.provider.suppress_dialog_on_startup': true,
    'mail.shell.checkDefaultClient': false,
    'mailnews.start_page.enabled': false,
    'mail.rights.version': 1,
    'mail.inappnotifications.enabled': false,
    'app.donation.eoy.version.viewed': 999,
    'mail.spotlight.firstRunDone': true,
    'browser.shell.checkDefaultBrowser': false,
    'toolkit.startup.max_resumed_crashes': -1,
    'browser.sessionstore.resume_from_crash': false,
    'mail.biff.show_alert': false,
    'mail.biff.play_sound': false,
    'calendar.timezone.useSystemTimezone': true,
    // no telemetry, updates or remote connections
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.policy.dataSubmissionPolicyBypassNotification': true,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.archive.enabled': false,
    'toolkit.telemetry.server': '',
    'app.update.disabledForTesting': true,
    'app.update.auto': false,
    'extensions.update.enabled': false,
    'extensions.update.autoUpdateDefault': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'services.settings.server': 'http://127.0.0.1:9/',
    'network.connectivity-service.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.update.enabled': false,
    'mailnews.auto_config_url': '',
    'mailnews.auto_config.addons_url': '',
    'media.gmp-manager.url': '',
    'mail.cloud_files.enabled': false,
    // unsigned extensions dropped into <profile>/extensions/ are installed and enabled
    'xpinstall.signatures.required': false,
    'extensions.autoDisableScopes': 0,
    'extensions.enabledScopes': 15,
    'extensions.installDistroAddons': false,
    // Experiment APIs (Waxseal's send hook, docs/decisions.md D1) need this for unsigned builds
    'extensions.experiments.enabled': true,
    // console.* of chrome and extensions goes to stdout (thunderbird.log)
    'devtools.console.stdout.chrome': true,
    'devtools.console.stdout.content': true,
    'browser.dom.window.dump.enabled': true,
    ...(marionette ? { 'marionette.port': 0 } : {}),
    ...extraPrefs,
  };
  const lines = Object.entries(prefs).map(([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});`);
  fs.writeFileSync(path.join(dir, 'user.js'), lines.join('\n') + '\n');
  const extDir = path.join(dir, 'extensions');
  fs.mkdirSync(extDir, { recursive: true });
  for (const { id, xpi } of extensions) fs.copyFileSync(xpi, path.join(extDir, `${id}.xpi`));
  return dir;
}
