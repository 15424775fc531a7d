/* global messenger -- WebExtension global inside Thunderbird */
import { localTestFolder } from './folders.js';
// The Thunderbird half of the reading scenarios (runner side: ../scenarios/read-display.mjs): import each
// message, display it in a tab, tell the runner, and wait until the runner has looked and closed the tab.
export const readScenarios = {
  async 'read-banner-states'(args, ctx) {
    const folder = await localTestFolder('waxseal-e2e-read');
    let shown = 0;
    for (const message of args.messages) {
      const bytes = Uint8Array.from(atob(message.base64), (c) => c.charCodeAt(0));
      const imported = await messenger.messages.import(new File([bytes], `${message.name}.eml`, { type: 'message/rfc822' }), folder.id);
      const tab = await ctx.withTimeout(messenger.messageDisplay.open({ messageId: imported.id, location: 'tab' }), 15_000, 'messageDisplay.open');
      await ctx.signal(`read-shown-${message.name}`, { messageId: imported.id, tabId: tab.id });
      await ctx.withTimeout(tabClosed(tab.id), 30_000, `runner closing the ${message.name} tab`);
      shown += 1;
    }
    return { shown };
  },

  /**
   * #7: display a signed message from bob, then compose to him; the runner opens Waxseal's compose
   * popup and reads bob's row, then closes the compose window.
   */
  async 'read-compose-harvested'(args, ctx) {
    const folder = await localTestFolder('waxseal-e2e-read');
    const bytes = Uint8Array.from(atob(args.base64), (c) => c.charCodeAt(0));
    const imported = await messenger.messages.import(new File([bytes], 'compose-harvested.eml', { type: 'message/rfc822' }), folder.id);
    const tab = await ctx.withTimeout(messenger.messageDisplay.open({ messageId: imported.id, location: 'tab' }), 15_000, 'messageDisplay.open');
    await ctx.signal('read-compose-harvested-shown', { messageId: imported.id, tabId: tab.id });
    await ctx.withTimeout(tabClosed(tab.id), 30_000, 'runner closing the message tab');
    const [identity] = await messenger.identities.list();
    const compose = await messenger.compose.beginNew({ identityId: identity.id, to: ['bob@example.com'], subject: 'Waxseal read: reply to bob', isPlainText: true, plainTextBody: 'Hello Bob' });
    await ctx.signal('read-compose-harvested-compose-open', { tabId: compose.id });
    const request = await ctx.waitForWaxseal((e) => e.event === 'request' && e.name === 'getComposeView' && e.senderUrl.endsWith('/compose/index.html'), 30_000);
    await ctx.withTimeout(tabClosed(compose.id), 30_000, 'runner closing the compose window');
    return { popupRequested: request.ok };
  },

  /**
   * #7 banner latency: the display event's time, taken in this extension's listener of Thunderbird's
   * display notification (MV3 onMessagesDisplayed; Waxseal's MV2 onMessageDisplayed comes from the
   * same notification), per Message-ID. The runner's chrome watcher notes when the banner appears.
   */
  async 'read-banner-latency'(args, ctx) {
    const displayedAt = {};
    const listener = (_tab, displayed) => {
      const at = Date.now();
      for (const message of Array.isArray(displayed) ? displayed : (displayed?.messages ?? [])) displayedAt[message.headerMessageId] ??= at;
    };
    messenger.messageDisplay.onMessagesDisplayed.addListener(listener);
    try {
      const folder = await localTestFolder('waxseal-e2e-read');
      for (const message of args.messages) {
        const bytes = Uint8Array.from(atob(message.base64), (c) => c.charCodeAt(0));
        const imported = await messenger.messages.import(new File([bytes], `${message.name}.eml`, { type: 'message/rfc822' }), folder.id);
        const tab = await ctx.withTimeout(messenger.messageDisplay.open({ messageId: imported.id, location: 'tab' }), 15_000, 'messageDisplay.open');
        await ctx.signal(`read-latency-shown-${message.name}`, { messageId: imported.id, tabId: tab.id });
        await ctx.withTimeout(tabClosed(tab.id), 30_000, `runner closing the ${message.name} tab`);
      }
    } finally {
      messenger.messageDisplay.onMessagesDisplayed.removeListener(listener);
    }
    return { displayedAt };
  },

  async 'read-encrypted'(args, ctx) {
    try {
      return await readEncrypted(args, ctx);
    } catch (error) {
      // The runner waits for a signal: hand it the error so the failure names its cause.
      for (const message of args.messages) await ctx.signal(`read-encrypted-selected-${message.name}`, { error: `${error}\n${error?.stack ?? ''}` });
      throw error;
    }
  },
};

async function readEncrypted(args, ctx) {
    const folder = await localTestFolder('waxseal-e2e-read');
    // Earlier scenarios may leave another window (a compose window, a Waxseal page) in front: take the
    // main window's mail tab, whichever window is current.
    const [mailTab] = await messenger.mailTabs.query({});
    if (!mailTab) throw new Error('no mail tab');
    await messenger.windows.update(mailTab.windowId, { focused: true });
    await messenger.tabs.update(mailTab.id, { active: true });
    await messenger.mailTabs.update(mailTab.id, { displayedFolderId: folder.id });
    // The page asks for the view when it opens (locked), again after the unlock, and once for the
    // second message (already unlocked): 2, then 3 answered getDecryptedView requests.
    const views = new Set();
    for (const [index, message] of args.messages.entries()) {
      const bytes = Uint8Array.from(atob(message.base64), (c) => c.charCodeAt(0));
      const imported = await messenger.messages.import(new File([bytes], `${message.name}.eml`, { type: 'message/rfc822' }), folder.id);
      // Thunderbird fires no display event for S/MIME it cannot open: Waxseal finds it on selection.
      // Waxseal's page from the previous message may still be in front: go back to the mail tab.
      const [current] = await messenger.mailTabs.query({});
      if (!current) throw new Error('no mail tab');
      await messenger.tabs.update(current.id, { active: true });
      await messenger.mailTabs.setSelectedMessages(current.id, [imported.id]);
      await ctx.signal(`read-encrypted-selected-${message.name}`, { messageId: imported.id });
      await ctx.waitForWaxseal((e) => e.event === 'request' && e.name === 'unlockForReading' && e.ok, 40_000);
      await ctx.waitForWaxseal((e) => {
        if (e.event === 'request' && e.name === 'getDecryptedView' && e.ok) views.add(e);
        return views.size >= index + 2;
      }, 40_000);
      await ctx.withTimeout(onlyMailTabsLeft(), 30_000, `runner closing Waxseal's page for ${message.name}`);
    }
    return { views: views.size - 1 };
}

/** The runner closes Waxseal's page after its screenshot; the next message waits for that. */
async function onlyMailTabsLeft() {
  for (;;) {
    const tabs = await messenger.tabs.query({});
    if (tabs.every((t) => t.type === 'mail')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function tabClosed(tabId) {
  for (;;) {
    const tabs = await messenger.tabs.query({});
    if (!tabs.some((t) => t.id === tabId)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

