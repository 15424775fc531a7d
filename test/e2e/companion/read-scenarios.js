/* global messenger -- WebExtension global inside Thunderbird */
// The Thunderbird half of the reading scenarios (runner side: ../scenarios/read-display.mjs): import each
// message, display it in a tab, tell the runner, and wait until the runner has looked and closed the tab.
export const readScenarios = {
  async 'read-banner-states'(args, ctx) {
    const folder = await readFolder();
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
};

async function tabClosed(tabId) {
  for (;;) {
    const tabs = await messenger.tabs.query({});
    if (!tabs.some((t) => t.id === tabId)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let folderPromise = null;
function readFolder() {
  folderPromise ??= (async () => {
    const accounts = await messenger.accounts.list();
    const local = accounts.find((a) => a.type === 'local' || a.type === 'none');
    if (!local) throw new Error('no Local Folders account');
    const name = 'waxseal-e2e-read';
    await messenger.folders.create(local.rootFolder.id, name);
    const folder = (await messenger.folders.getSubFolders(local.rootFolder.id)).find((f) => f.name === name);
    if (!folder) throw new Error('read test folder not found after create');
    return folder;
  })();
  return folderPromise;
}
