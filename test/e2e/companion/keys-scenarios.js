/* global messenger -- WebExtension global inside Thunderbird */
import { localTestFolder } from './folders.js';
// The Thunderbird half of the key store scenarios (runner side: ../scenarios/keys-restart.mjs): the
// runner sends the requests from Waxseal's options page over Marionette; this half imports the
// openssl-encrypted message after the restart and waits for Waxseal's reports that the requests reached
// the background and were answered for the options page.
export const keysScenarios = {
  async 'keys-import'(_args, ctx) {
    return { request: await ctx.waitForWaxseal((e) => e.event === 'request' && e.name === 'importPkcs12', 80_000) };
  },

  async 'keys-after-restart'(args, ctx) {
    let messageId;
    try {
      if (!args.ready) throw new Error('keys-import made no identity');
      const bytes = await ctx.fixture(args.fixture);
      const folder = await localTestFolder('waxseal-keys-e2e');
      const imported = await messenger.messages.import(new File([bytes], args.fixture, { type: 'message/rfc822' }), folder.id);
      messageId = imported.id;
    } catch (error) {
      await ctx.signal('keys-encrypted-imported', { error: String(error?.message ?? error) });
      throw error;
    }
    await ctx.signal('keys-encrypted-imported', { messageId });
    const requests = [];
    for (const name of ['unlock', 'getDecryptedView']) {
      requests.push(await ctx.waitForWaxseal((e) => e.event === 'request' && e.name === name && e.ok, 80_000));
    }
    return { requests };
  },
};
