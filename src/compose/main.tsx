import { render } from 'preact';
import browser from 'webextension-polyfill';
import { call, t } from '../shared/runtime-client.js';
import { ComposePage, routeFromQuery } from './ComposePage.js';

async function start(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) return;
  // The toolbar popup keeps one size while its content changes (compose.css): Thunderbird closes an
  // action popup whose page resizes, and results such as directory lookups arrive after it opens.
  if (!location.search) document.documentElement.classList.add('toolbar-popup');
  // The compose action popup belongs to the compose window it was opened from: its active tab.
  const [active] = location.search ? [] : await browser.tabs.query({ active: true, currentWindow: true });
  const route = routeFromQuery(location.search, active?.id ?? null);
  render(<ComposePage call={call} t={t} route={route} close={() => window.close()} />, root);
}

void start();
