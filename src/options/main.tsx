import { render } from 'preact';
import { call, t } from '../shared/runtime-client.js';
import { browserPlatform } from './browser-platform.js';
import { OptionsPage, viewFromHash } from './OptionsPage.js';

const root = document.getElementById('root');
if (root) {
  document.documentElement.lang = t('@@ui_locale').replace('_', '-') || 'en';
  render(<OptionsPage call={call} t={t} platform={browserPlatform} initialView={viewFromHash(location.hash)} />, root);
}
