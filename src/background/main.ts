/**
 * Waxseal's background (a persistent MV2 background page, docs/decisions.md D1).
 * This file only registers listeners, all synchronously at the top level (STYLE §1).
 */
import { registerComposeEvents } from './compose-events.js';
import { registerDisplayEvents } from './display-events.js';
import { registerMessageEvents } from './message-events.js';
import { registerReadEvents } from './read/read-events.js';
import { composeServicesFrom } from './send/services.js';
import { keystoreServices } from './services.js';
import { registerTestEvents } from './test-events.js';

declare const __WAXSEAL_TEST__: boolean;

registerMessageEvents();
registerDisplayEvents();
registerReadEvents();
registerComposeEvents(keystoreServices().ready.then((parts) => composeServicesFrom({ ...parts, session: keystoreServices().session })));
if (__WAXSEAL_TEST__) registerTestEvents();
