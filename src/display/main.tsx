import { render } from 'preact';
import { call, t } from '../shared/runtime-client.js';
import { DisplayPage } from './DisplayPage.js';

const root = document.getElementById('root');
if (root) render(<DisplayPage call={call} t={t} />, root);
