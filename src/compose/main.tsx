import { render } from 'preact';
import { call, t } from '../shared/runtime-client.js';
import { ComposePage } from './ComposePage.js';

const root = document.getElementById('root');
if (root) render(<ComposePage call={call} t={t} />, root);
