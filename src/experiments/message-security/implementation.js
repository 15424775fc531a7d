// One security indicator per message (docs/decisions.md "One security indicator per message";
// docs/thunderbird.md §4; security.md SEC-15).
//
// Thunderbird still runs its own S/MIME code on every signed message it displays and shows the verdict
// of NSS in the #cryptoBox button of the message header (msgHdrViewSMIMEOverlay.js
// setMessageCryptoBox()). NSS and Waxseal trust different roots (organisation anchors live only in
// Waxseal), so the two can disagree. For a message Waxseal judged we hide Thunderbird's box.
//
// Thunderbird toggles the box with its `hidden` attribute, at times we do not control (after the
// "smimeprocessed" sink, possibly after us). So we do not fight over that attribute: an inline
// `display: none !important` wins over it whatever Thunderbird sets later. The hold is tied to the
// message it was set for: the next "MsgLoading" in that about:message window drops it, so another
// message always gets Thunderbird's indicator back unless Waxseal judged it too.
//
// Thunderbird loads every experiment script of an extension into one shared sandbox, so top-level
// `const`/`function` names would collide with the other experiments' (a redeclaration fails the whole
// script). Everything but the API class therefore lives inside this function.
'use strict';

(() => {
  const { ExtensionUtils } = ChromeUtils.importESModule('resource://gre/modules/ExtensionUtils.sys.mjs');

  const MARK = 'data-waxseal-replaced';

  /** The about:message window of a mail tab, a message tab or a message window; null when it shows none. */
  function aboutMessageWindow(tab) {
    if (tab.type === 'mail') {
      const about3Pane = tab.nativeTab.chromeBrowser?.contentWindow;
      return about3Pane?.messageBrowser?.contentWindow ?? null;
    }
    if (tab.type === 'messageDisplay') {
      const native = tab.nativeTab;
      return native.chromeBrowser?.contentWindow ?? native.messageBrowser?.contentWindow ?? null;
    }
    return null;
  }

  function release(win) {
    const box = win.document?.getElementById('cryptoBox');
    if (!box) return;
    box.removeAttribute(MARK);
    box.style.removeProperty('display');
  }

  globalThis.messageSecurity = class extends ExtensionCommon.ExtensionAPI {
    getAPI(context) {
      const { extension } = context;
      /** about:message windows we hold, with the listener that releases them on the next message. */
      const held = new Map();

      function unhold(win) {
        const onLoading = held.get(win);
        if (!onLoading) return;
        win.removeEventListener('MsgLoading', onLoading);
        win.removeEventListener('unload', onLoading);
        held.delete(win);
        release(win);
      }

      context.callOnClose({ close: () => [...held.keys()].forEach(unhold) });

      function windowFor(tabId) {
        const tab = extension.tabManager.get(tabId);
        if (!tab) throw new ExtensionUtils.ExtensionError(`No tab ${tabId}`);
        return aboutMessageWindow(tab);
      }

      /** Thunderbird turns other exceptions into "An unexpected error occurred": keep the cause for the log. */
      const withCause = (fn) => async (...args) => {
        try {
          return await fn(...args);
        } catch (error) {
          if (error instanceof ExtensionUtils.ExtensionError) throw error;
          throw new ExtensionUtils.ExtensionError(`messageSecurity: ${error?.message ?? error}`);
        }
      };

      return {
        messageSecurity: {
          setThunderbirdIndicatorHidden: withCause(async (tabId, messageId, hidden) => {
            const win = windowFor(tabId);
            const box = win?.document?.getElementById('cryptoBox');
            if (!win || !box) return false;
            if (!hidden) {
              unhold(win);
              return true;
            }
            // A late verdict for a message the tab no longer shows must not hide the indicator of the
            // message shown now.
            const shown = win.gMessage ? extension.messageManager.convert(win.gMessage)?.id : undefined;
            if (shown !== messageId) return false;
            unhold(win);
            box.setAttribute(MARK, String(messageId));
            box.style.setProperty('display', 'none', 'important');
            const onLoading = () => unhold(win);
            win.addEventListener('MsgLoading', onLoading);
            win.addEventListener('unload', onLoading);
            held.set(win, onLoading);
            return true;
          }),
          isThunderbirdIndicatorHidden: withCause(async (tabId) => {
            const win = windowFor(tabId);
            return Boolean(win?.document?.getElementById('cryptoBox')?.hasAttribute(MARK));
          }),
        },
      };
    }
  };
})();
