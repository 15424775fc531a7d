/* global messenger -- WebExtension global inside Thunderbird */
// Folders the companion imports test messages into.

const folders = new Map();

/**
 * The folder `name` in Local Folders, made if it is not there yet (it survives a restart of Thunderbird),
 * and always looked up by name: folders.create() has returned the wrong folder.
 */
export function localTestFolder(name) {
  if (!folders.has(name)) {
    folders.set(name, (async () => {
      const accounts = await messenger.accounts.list();
      const local = accounts.find((a) => a.type === 'local' || a.type === 'none');
      if (!local) throw new Error('no Local Folders account');
      const find = async () => (await messenger.folders.getSubFolders(local.rootFolder.id)).find((f) => f.name === name);
      if (!(await find())) await messenger.folders.create(local.rootFolder.id, name);
      const folder = await find();
      if (!folder) throw new Error(`test folder ${name} not found after create`);
      return folder;
    })());
  }
  return folders.get(name);
}
