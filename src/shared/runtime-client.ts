/**
 * `call()` for Waxseal's pages: requests go to the background over `runtime.sendMessage` (STYLE §5).
 * Components get it through props or context, so UI tests pass a fake instead.
 */
import browser from 'webextension-polyfill';
import { createClient, type Call } from './rpc.js';

export const call: Call = createClient((message) => browser.runtime.sendMessage(message));

/** Localised text for a message name from _locales (empty string if the name is unknown). */
export function t(name: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(name, substitutions);
}
