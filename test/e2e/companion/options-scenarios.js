// The Thunderbird half of the options page scenario (runner side: ../scenarios/options-import-export.mjs):
// the runner drives the page over Marionette; this half waits for Waxseal's reports that the page's
// import, passphrase change and export reached the background and succeeded.
export const optionsScenarios = {
  async 'options-import-export'(_args, ctx) {
    const requests = [];
    for (const name of ['importPkcs12', 'changePassphrase', 'exportPkcs12']) {
      requests.push(await ctx.waitForWaxseal((e) => e.event === 'request' && e.name === name && e.ok, 110_000));
    }
    return { requests };
  },
};
