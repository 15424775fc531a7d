// The Thunderbird half of the directory scenarios (runner side: ../scenarios/directory-ldap.mjs). The
// runner drives the LDAP experiment over Marionette; this half has nothing to do in the extension.
export const directoryScenarios = {
  async 'directory-ldap-experiment'() {
    return { ready: true };
  },
};
