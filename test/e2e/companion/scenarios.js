/* global browser, messenger -- WebExtension globals inside Thunderbird */
import { composeScenarios } from './compose-scenarios.js';
import { readScenarios } from './read-scenarios.js';
import { optionsScenarios } from './options-scenarios.js';
import { keysScenarios } from './keys-scenarios.js';
import { directoryScenarios } from './directory-scenarios.js';
import { managedScenarios } from './managed-scenarios.js';
import { localTestFolder } from './folders.js';
// The Thunderbird side of each e2e scenario (runner side: ../scenarios.mjs). Each function gets the
// runner's `args` and the companion context, and returns plain JSON for the runner's check.
export const scenarios = {
  async 'waxseal-ready'(_args, ctx) {
    const ready = await ctx.waitForWaxseal((e) => e.event === 'ready');
    const self = await browser.management.getSelf().catch(() => null);
    return { version: ready.version, companion: self?.version ?? null };
  },

  async 'display-reaches-background'(args, ctx) {
    const bytes = await ctx.fixture(args.fixture);
    const folder = await localTestFolder('waxseal-e2e');
    const imported = await messenger.messages.import(new File([bytes], args.fixture, { type: 'message/rfc822' }), folder.id);
    // open() may never resolve for some messages (docs/thunderbird.md §4), so it is bounded too.
    await ctx.withTimeout(messenger.messageDisplay.open({ messageId: imported.id, location: 'tab' }), 15_000, 'messageDisplay.open');
    const seen = await ctx.waitForWaxseal((e) => e.event === 'displayed' && e.headerMessageId === args.headerMessageId);
    await ctx.screenshot('message-displayed');
    return {
      imported: { id: imported.id, headerMessageId: imported.headerMessageId, size: imported.size },
      waxseal: { messageId: seen.messageId, headerMessageId: seen.headerMessageId, rawBase64: seen.rawBase64 },
    };
  },

  async 'compose-send-smtp'(args, ctx) {
    const [identity] = await messenger.identities.list();
    const tab = await messenger.compose.beginNew({
      identityId: identity.id,
      to: [args.to],
      subject: args.subject,
      isPlainText: true,
      plainTextBody: args.body,
    });
    await ctx.screenshot('compose-window');
    const sent = await ctx.withTimeout(messenger.compose.sendMessage(tab.id, { mode: 'sendNow' }), 30_000, 'compose.sendMessage');
    // A failed send still resolves, with no messages (docs/thunderbird.md §5.3).
    return { mode: sent.mode, messages: sent.messages.length };
  },
};

Object.assign(scenarios, {
  async 'options-page-rpc'(_args, ctx) {
    // The runner opens the options page over Marionette; its ping shows up in Waxseal's reports.
    const request = await ctx.waitForWaxseal((e) => e.event === 'request' && e.senderUrl.endsWith('/options/index.html'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ctx.screenshot('options-page');
    return { request };
  },

  async 'compose-action-click'(_args, ctx) {
    const [identity] = await messenger.identities.list();
    await messenger.compose.beginNew({ identityId: identity.id, to: ['bob@example.com'], subject: 'Waxseal compose action', isPlainText: true, plainTextBody: 'Hello' });
    await ctx.signal('compose-open');
    const request = await ctx.waitForWaxseal((e) => e.event === 'request' && e.senderUrl.endsWith('/compose/index.html'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ctx.screenshot('compose-action-popup');
    return { request };
  },
});

Object.assign(scenarios, composeScenarios);
Object.assign(scenarios, readScenarios);
Object.assign(scenarios, optionsScenarios);
Object.assign(scenarios, keysScenarios);
Object.assign(scenarios, directoryScenarios);
Object.assign(scenarios, managedScenarios);
// Runs on the runner, in a second Thunderbird (../scenarios/tb-reads-waxseal.mjs).
scenarios['tb-reads-waxseal'] = async () => ({ runnerSide: true });
