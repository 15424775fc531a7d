/* global messenger -- WebExtension global inside Thunderbird */
// The Thunderbird half of the managed-rollout scenario (runner half: ../scenarios/managed-policy.mjs).
// The runner imports the organisation's identity and bob's certificate through the options page; then
// this half composes to bob without touching Sign or Encrypt, so what reaches the SMTP sink shows the
// policy's locked defaults and its allowed algorithm.
export const managedScenarios = {
  async 'managed-policy'(args, ctx) {
    // bob's certificate is the runner's last step in the options page.
    await ctx.waitForWaxseal((e) => e.event === 'request' && e.name === 'importPersonCertificates' && e.ok, 50_000);
    const [identity] = await messenger.identities.list();
    const tab = await messenger.compose.beginNew({ identityId: identity.id, to: [args.to], subject: args.subject, isPlainText: true, plainTextBody: args.body });
    await ctx.screenshot('managed-compose');
    // A failed or refused send still resolves, with no messages (docs/thunderbird.md §5.3).
    const sent = await ctx.withTimeout(messenger.compose.sendMessage(tab.id, { mode: 'sendNow' }), 30_000, 'compose.sendMessage');
    return { mode: sent.mode, messages: sent.messages.length };
  },
};
