import { render } from 'preact';
import { call, t } from '../shared/runtime-client.js';
import { OptionsPage } from './OptionsPage.js';

const root = document.getElementById('root');
if (root) render(<OptionsPage call={call} t={t} />, root);
