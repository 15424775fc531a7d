/**
 * The message display script: puts Waxseal's banner at the top of a displayed message. It renders only
 * what the background sends (a reply to its own request, or a push to this tab from our extension id);
 * anything the message's own page says is never read (SEC-15). Unsigned mail shows nothing.
 */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import type { BannerContent } from '../shared/read-protocol.js';
import { isBannerContent } from './banner-content.js';
import { StatusBanner } from './StatusBanner.js';

const HOST_ID = 'waxseal-banner-host';

export function startBannerScript(): void {
  const t = (name: string, substitutions?: string | string[]): string => browser.i18n.getMessage(name, substitutions);
  const version = browser.runtime.getManifest().version;
  const show = (content: BannerContent | null): void => {
    let host = document.getElementById(HOST_ID);
    if (!content) {
      if (host) render(null, host);
      host?.remove();
      return;
    }
    if (!host) {
      host = document.createElement('div');
      host.id = HOST_ID;
      document.body.prepend(host);
    }
    render(<StatusBanner content={content} t={t} version={version} copy={(text) => navigator.clipboard.writeText(text)} />, host);
  };
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || typeof message !== 'object' || message === null) return false;
    const m = message as { waxsealBanner?: unknown; content?: unknown };
    if (m.waxsealBanner !== 1) return false;
    if (m.content === null) show(null);
    else if (isBannerContent(m.content)) show(m.content);
    return Promise.resolve(true);
  });
  browser.runtime.sendMessage({ waxsealBanner: 1 }).then(
    (answer: unknown) => {
      if (answer === null) show(null);
      else if (isBannerContent(answer)) show(answer);
    },
    (error: unknown) => console.error('Waxseal: no banner from the background', error),
  );
}
