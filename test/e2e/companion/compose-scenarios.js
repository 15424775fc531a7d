/* global messenger -- WebExtension global inside Thunderbird */
// The Thunderbird half of the send scenarios (runner half: ../scenarios/compose-send.mjs).

async function folderOf(specialUse) {
  const [folder] = await messenger.folders.query({ specialUse: [specialUse] });
  return folder ?? null;
}

/** The raw bytes (base64) of the newest message with `subject` in a special folder, waiting for it to appear. */
async function rawFrom(specialUse, subject, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const folder = await folderOf(specialUse);
    if (folder) {
      const page = await messenger.messages.query({ folderId: folder.id, subject });
      const found = page.messages.find((m) => m.subject === subject);
      if (found) {
        const file = await messenger.messages.getRaw(found.id, { decrypt: false, data_format: 'File' });
        const bytes = new Uint8Array(await file.arrayBuffer());
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(binary);
      }
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function composeAndSend(args, ctx) {
  const before = new Set((await messenger.windows.getAll()).map((w) => w.id));
  const [identity] = await messenger.identities.list();
  const attachments = args.attachment ? [{ file: new File([args.attachment.text], args.attachment.name, { type: 'text/plain' }) }] : [];
  const tab = await messenger.compose.beginNew({
    identityId: identity.id,
    to: args.to,
    bcc: args.bcc ?? [],
    subject: args.subject,
    ...(args.html ? { isPlainText: false, body: `<html><body><p>${args.body}</p></body></html>` } : { isPlainText: true, plainTextBody: args.body }),
    attachments,
  });
  const sending = messenger.compose.sendMessage(tab.id, { mode: args.mode });
  await ctx.signal('sending');
  let sent;
  try {
    sent = await ctx.withTimeout(sending, 40_000, 'compose.sendMessage');
  } catch (error) {
    sent = { mode: args.mode, messages: [], error: String(error?.message ?? error) };
  }
  const result = { mode: sent.mode, messages: sent.messages.length, error: sent.error ?? null };
  if (args.expectRefused) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ctx.screenshot(`${args.subject.split(' ')[2]}-refused`);
    // Leave no windows behind for later scenarios: the unsent compose window and Waxseal's window.
    for (const win of await messenger.windows.getAll()) {
      if (!before.has(win.id)) await messenger.windows.remove(win.id).catch(() => {});
    }
  }
  if (args.readSent) result.sentRawBase64 = await rawFrom('sent', args.subject);
  if (args.readOutbox) result.outboxRawBase64 = await rawFrom('outbox', args.subject);
  return result;
}

export const composeScenarios = {
  async 'compose-provision'() {
    return {};
  },
  'compose-signed': composeAndSend,
  'compose-encrypted': composeAndSend,
  'compose-signed-encrypted-attachment': composeAndSend,
  'compose-send-later': composeAndSend,
  'compose-bcc-signed': composeAndSend,
  'compose-bcc-encrypted-refused': composeAndSend,
  'compose-missing-certificate-required': composeAndSend,

  /** Recipients change as if typed, and nobody opens Waxseal's popup; the runner watches the toolbar button. */
  async 'compose-recipients-watched'(args, ctx) {
    const [identity] = await messenger.identities.list();
    const tab = await messenger.compose.beginNew({ identityId: identity.id, to: ['Bob Test <bob@example.com>'], subject: args.subject, isPlainText: true, plainTextBody: 'Hello' });
    try {
      await ctx.signal('watch-open');
      await ctx.awaitRunner('watch-encrypt-seen');
      await messenger.compose.setComposeDetails(tab.id, { to: ['Bob Test <bob@example.com>', 'carol@example.com'] });
      await ctx.signal('watch-changed');
      await ctx.awaitRunner('watch-plain-seen');
      return { changed: true };
    } finally {
      await messenger.windows.remove(tab.windowId).catch(() => {});
    }
  },
};
