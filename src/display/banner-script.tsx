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

/**
 * The message pane is not a secure context everywhere (`mailbox:`, `imap:`), so the asynchronous
 * clipboard may be missing; a selected, detached textarea and the copy command work after the click.
 */
async function copyText(text: string): Promise<void> {
  if (typeof navigator.clipboard?.writeText === 'function') {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the copy command was refused');
}

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
    render(<StatusBanner content={content} t={t} version={version} copy={copyText} />, host);
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
