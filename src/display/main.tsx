/**
 * One bundle for the reading side's three surfaces (the build bundles `display/main.tsx` only): the
 * message display script (injected into a message, not on our origin), the decrypted-message page and
 * the toolbar popup.
 */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { call, t } from '../shared/runtime-client.js';
import { startBannerScript } from './banner-script.js';
import { DecryptedPage } from './DecryptedPage.js';
import { DisplayPage } from './DisplayPage.js';

const copy = (text: string): Promise<void> => navigator.clipboard.writeText(text);

/** Saves through a blob URL that lives only as long as the click (no temporary file, SEC-19). */
function download(fileName: string, contentType: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: contentType || 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

async function start(): Promise<void> {
  if (location.protocol !== 'moz-extension:') {
    startBannerScript();
    return;
  }
  const root = document.getElementById('root');
  if (!root) return;
  const version = browser.runtime.getManifest().version;
  if (document.documentElement.dataset.page === 'decrypted') {
    const messageId = Number(new URLSearchParams(location.search).get('message'));
    render(<DecryptedPage call={call} t={t} messageId={messageId} copy={copy} download={download} version={version} />, root);
    return;
  }
  // The popup belongs to the message tab it was opened from: the active tab of its window.
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  render(<DisplayPage call={call} t={t} tabId={active?.id ?? null} copy={copy} version={version} />, root);
}

void start();
