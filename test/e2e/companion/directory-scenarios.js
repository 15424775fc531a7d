/* global messenger -- WebExtension global inside Thunderbird */
// The Thunderbird half of the directory scenarios (runner side: ../scenarios/directory-ldap.mjs). The
// runner drives the LDAP experiment over Marionette for directory-ldap-experiment; for the compose
// scenarios this half opens the compose window, the runner reads and clicks Waxseal's popup in it and
// presses Send, and this half reports how the send ended.

/** Opens a compose window to `args.to`, tells the runner, and waits for the send the runner starts. */
async function composeForRunner(args, ctx) {
  const [identity] = await messenger.identities.list();
  let opened = null;
  // Sent, or the compose window closed without sending (a failed runner step): either ends the wait.
  const sent = new Promise((resolve) => {
    const listener = (tab, info) => {
      if (tab.id !== opened?.id) return;
      messenger.compose.onAfterSend.removeListener(listener);
      resolve(info);
    };
    messenger.compose.onAfterSend.addListener(listener);
    // A send closes the window too, possibly before onAfterSend arrives: only a removal without a send within a few seconds counts.
    messenger.tabs.onRemoved.addListener((tabId) => {
      if (tabId === opened?.id) setTimeout(() => resolve({ error: 'the compose window closed without sending' }), 5000);
    });
  });
  opened = await messenger.compose.beginNew({ identityId: identity.id, to: [args.to].flat(), subject: args.subject, isPlainText: true, plainTextBody: args.body });
  await ctx.signal(`directory-compose-open ${args.subject}`, { tabId: opened.id });
  const info = await ctx.withTimeout(sent, 40_000, 'compose.onAfterSend');
  await ctx.signal(`directory-sent ${args.subject}`, { mode: info.mode ?? null });
  return { mode: info.mode ?? null, headerMessageId: info.headerMessageId ?? null, error: info.error ?? null };
}

export const directoryScenarios = {
  async 'directory-ldap-experiment'() {
    return { ready: true };
  },
  'directory-compose-send': composeForRunner,
  'directory-down-compose': composeForRunner,
  'directory-slow-compose': composeForRunner,
};
