// The end-to-end scenario registry. Each scenario has two halves with the same name:
//   - here, the runner side: fixtures it serves, an optional `before` step, and `check`, which judges
//     the companion's result against the runner's own evidence (SMTP sink bytes, fixture bytes);
//   - in companion/scenarios.js, the part that runs inside Thunderbird through messenger.* APIs.
// The runner hands scenarios to the companion one at a time, in this order.
//
// Add a scenario: add an entry here and a function of the same name in companion/scenarios.js.
// `args` is passed to the companion; `screenshots` names steps the companion may photograph.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeScenarios } from './scenarios/compose-send.mjs';
import { readScenarios } from './scenarios/read-display.mjs';
import { optionsScenarios } from './scenarios/options-import-export.mjs';
import { keysScenarios } from './scenarios/keys-restart.mjs';
import { directoryScenarios } from './scenarios/directory-ldap.mjs';
import { tbReadsScenarios } from './scenarios/tb-reads-waxseal.mjs';
import { managedScenarios } from './scenarios/managed-policy.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const packageVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** A plain message with CRLF line ends and an 8-bit UTF-8 body, made at run time so nothing expires. */
export function plainMessage(runId) {
  return Buffer.from(
    [
      'From: Bob Test <bob@example.com>',
      'To: Alice Test <alice@example.com>',
      'Subject: Waxseal e2e display',
      'Date: Mon, 01 Jun 2026 00:00:00 +0000',
      `Message-ID: <display-${runId}@e2e.waxseal.org>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Hello Alice, grüße aus Köln.',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

export const scenarios = [
  {
    name: 'waxseal-ready',
    description: 'Waxseal loads in Thunderbird and its background reports ready with its version',
    check({ result }) {
      if (result.version !== packageVersion) throw new Error(`Waxseal reported version ${result.version}, expected ${packageVersion}`);
    },
  },
  {
    name: 'display-reaches-background',
    description: 'an imported message is displayed and Waxseal\'s background gets its exact raw bytes',
    fixtures: ({ runId }) => ({ 'display.eml': plainMessage(runId) }),
    args: ({ runId }) => ({ fixture: 'display.eml', headerMessageId: `display-${runId}@e2e.waxseal.org` }),
    check({ result, fixtures, args }) {
      const expected = fixtures['display.eml'];
      if (result.waxseal.headerMessageId !== args.headerMessageId) {
        throw new Error(`Waxseal saw ${result.waxseal.headerMessageId}, expected ${args.headerMessageId}`);
      }
      const raw = Buffer.from(result.waxseal.rawBase64, 'base64');
      if (raw.subarray(0, 10).toString('latin1') === 'X-Mozilla-') throw new Error('raw message still has the X-Mozilla prefix');
      if (!raw.equals(expected)) {
        throw new Error(`raw bytes differ from the imported file (${raw.length} vs ${expected.length} bytes, first difference at ${firstDifference(raw, expected)})`);
      }
      if (result.waxseal.messageId !== result.imported.id) {
        throw new Error(`Waxseal saw message id ${result.waxseal.messageId}, the companion imported ${result.imported.id}`);
      }
    },
  },
  {
    name: 'compose-send-smtp',
    description: 'a message composed and sent through the compose API arrives at the SMTP sink',
    args: ({ runId }) => ({ to: 'bob@example.com', subject: `Waxseal e2e send ${runId}`, body: `Sent by the e2e rig, run ${runId}.` }),
    async check({ result, sink, args }) {
      const arrived = await waitFor(() => sink.messages.find((m) => m.bytes.includes(`Subject: ${args.subject}`)), 15_000);
      if (!arrived) throw new Error(`no message with subject "${args.subject}" at the SMTP sink (${sink.messages.length} messages there)`);
      const text = arrived.bytes.toString('utf8');
      if (arrived.mailFrom !== 'alice@example.com') throw new Error(`MAIL FROM ${arrived.mailFrom}`);
      if (arrived.rcptTo.join(',') !== args.to) throw new Error(`RCPT TO ${arrived.rcptTo.join(',')}`);
      if (!/^From: Alice Test <alice@example\.com>\r$/m.test(text)) throw new Error('From header missing or wrong');
      if (!text.includes(args.body)) throw new Error('body text missing from the sent message');
      if (result.messages !== 1) throw new Error(`compose.sendMessage reported ${result.messages} messages`);
    },
  },
];

function firstDifference(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

async function waitFor(probe, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Chrome-privileged JS run by Marionette in Thunderbird's main window. */
const OPEN_OPTIONS_TAB = `
  const url = WebExtensionPolicy.getByID('waxseal@waxseal.org').getURL('options/index.html');
  Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail').openTab('contentTab', { url });
  return url;`;

scenarios.push(
  {
    name: 'options-page-rpc',
    description: 'the options page opens in a tab and its ping request reaches the background through the RPC router',
    marionette: true,
    async drive({ marionette }) {
      const client = await marionette();
      await client.cmd('WebDriver:ExecuteScript', { script: OPEN_OPTIONS_TAB, args: [] });
    },
    check({ result }) {
      if (!result.request.ok || result.request.name !== 'ping') throw new Error(`request failed: ${JSON.stringify(result.request)}`);
      if (!/^moz-extension:\/\/[^/]+\/options\/index\.html$/.test(result.request.senderUrl)) throw new Error(`unexpected sender ${result.request.senderUrl}`);
    },
  },
  {
    name: 'compose-action-click',
    description: 'a real click on Waxseal\'s compose toolbar button opens its popup, which talks to the background',
    marionette: true,
    async drive({ marionette, waitForSignal }) {
      await waitForSignal('compose-open');
      const client = await marionette();
      for (const handle of await client.cmd('WebDriver:GetWindowHandles')) {
        await client.cmd('WebDriver:SwitchToWindow', { handle });
        const type = await client.cmd('WebDriver:ExecuteScript', { script: 'return document.documentElement.getAttribute("windowtype");', args: [] });
        if (type.value !== 'msgcompose') continue;
        const button = await client.cmd('WebDriver:FindElement', { using: 'css selector', value: '#waxseal_waxseal_org-composeAction-toolbarbutton' });
        await client.cmd('WebDriver:ElementClick', { id: Object.values(button.value)[0] });
        return;
      }
      throw new Error('no compose window found');
    },
    check({ result }) {
      if (!result.request.ok || !/\/compose\/index\.html$/.test(result.request.senderUrl)) throw new Error(`unexpected request ${JSON.stringify(result.request)}`);
    },
  },
);

// Send scenarios (issue #6): scenarios/compose-*.mjs, companion half in companion/compose-scenarios.js.
scenarios.push(...composeScenarios);

// Thunderbird's own S/MIME reads what Waxseal sent (issue #6): scenarios/tb-reads-waxseal.mjs, runner-side only; after the sends.
scenarios.push(...tbReadsScenarios);

// Reading scenarios (issue #7): scenarios/read-*.mjs, companion half in companion/read-scenarios.js.
scenarios.push(...readScenarios);

// Options page scenario (issue #8): scenarios/options-*.mjs, companion half in companion/options-scenarios.js.
scenarios.push(...optionsScenarios);

// Directory lookup through Thunderbird's LDAP stack (issue #9): scenarios/directory-*.mjs, companion half in companion/directory-scenarios.js.
scenarios.push(...directoryScenarios);

// Key store across a restart (issue #5): scenarios/keys-*.mjs, companion half in companion/keys-scenarios.js.
// Last, because it restarts Thunderbird.
scenarios.push(...keysScenarios);

// Managed rollout (issue #9): scenarios/managed-policy.mjs, companion half in companion/managed-scenarios.js.
// Last: it starts a fresh Thunderbird from a private installation with its policies.json.
scenarios.push(...managedScenarios);
