/**
 * Per compose tab: the Sign/Encrypt choices, the popup's view, the decision in `compose.onBeforeSend`
 * and the answer to the send hook's `onCryptoRequest` (issue #6 items 1–3).
 *
 * Slow or interactive steps (certificate lookup, passphrase) happen in onBeforeSend, before
 * Thunderbird builds the message; onCryptoRequest only signs/encrypts what was decided then
 * (docs/thunderbird.md §5.5). Every dependency comes in through `ComposeSessionDeps`, so the rules
 * are unit-tested with fakes.
 */
import { isSmimeError, SmimeError, type HashName, type Policy } from '../../crypto/index.js';
import type { ComposeDefaults, ComposeOptionsChange, ComposeView, SendBlocker } from '../../shared/compose-protocol.js';
import type { ContentEncryptionAlgorithm } from '../policy/managed-config.js';
import { planSend, type OwnCertificate, type SendPlan } from './plan.js';
import { protectHeaders } from './header-protection.js';
import { binaryStringToBytes, bytesToBinaryString, protectEntity } from './protect-entity.js';
import { listRecipients, resolveRecipients, type ComposeRecipients, type RecipientCertificateSource, type ResolvedRecipient } from './recipients.js';

/** Thunderbird's own S/MIME/OpenPGP state of the compose window (ComposeDetails.selectedEncryptionTechnology). */
export interface ThunderbirdCrypto {
  name: string;
  signMessage: boolean;
  encryptBody: boolean;
}

export interface ComposeSnapshot extends ComposeRecipients {
  identityId: string | null;
  thunderbirdCrypto: ThunderbirdCrypto | null;
  /** The message replied to or forwarded, when there is one (SEC-19). */
  relatedMessageId?: number | null;
  composeType?: string;
}

export interface ArmOptions {
  sendId: string;
  sign: boolean;
  encrypt: boolean;
}

/** What the send hook hands over (src/experiments/compose-crypto/schema.json CryptoRequest). */
export interface CryptoRequest {
  tabId: number;
  options: ArmOptions;
  deliverMode: 'now' | 'later' | 'background';
  identityEmail: string;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  /** The top-level header fields Thunderbird wrote (without Bcc), binary string, CRLF. */
  headers?: string;
  /** Binary string, CRLF. */
  entity: string;
}

export type CryptoResponse = { mime: string } | { error: string };

export type ToolbarState = 'off' | 'sign' | 'encrypt' | 'sign-encrypt' | 'blocked';

/** The host application, as the session needs it (implemented over messenger.* in compose-platform.ts). */
export interface ComposePlatform {
  composeDetails(tabId: number): Promise<ComposeSnapshot>;
  identityAddress(identityId: string): Promise<string | null>;
  /** Whether a stored message is S/MIME encrypted at its top level (SEC-19: replies to it default to encrypted). */
  isEncryptedMessage(messageId: number): Promise<boolean>;
  arm(tabId: number, options: ArmOptions): Promise<void>;
  disarm(tabId: number): Promise<void>;
  showToolbarState(tabId: number, state: ToolbarState): Promise<void>;
  /** Opens Waxseal's compose window for the tab explaining why the send stopped. */
  showBlocked(tabId: number): Promise<void>;
  /** Opens the passphrase window; `closed` is called when the user closes it without answering. */
  askPassphrase(tabId: number, promptId: string, closed: () => void): Promise<void>;
  t(name: string, substitutions?: string[]): string;
}

/** The user's own keys (implemented over the key store in key-access.ts). */
export interface SenderKeys {
  isUnlocked(): boolean;
  /** @throws SmimeError `KEYSTORE_WRONG_PASSPHRASE`, `KEYSTORE_RATE_LIMITED`. */
  unlock(passphrase: string): Promise<void>;
  current(address: string, purpose: 'signing' | 'encryption'): Promise<OwnCertificate | null>;
  /** @throws SmimeError `KEYSTORE_LOCKED`. */
  signingKey(identityId: string, hash: HashName): CryptoKey;
}

export interface ComposeSessionDeps {
  platform: ComposePlatform;
  keys: SenderKeys;
  certificates: RecipientCertificateSource;
  defaults(address: string): Promise<ComposeDefaults>;
  /** The organisation's allowed content-encryption algorithms (#9), or undefined when it sets none. */
  allowedContentEncryption?(): Promise<readonly ContentEncryptionAlgorithm[] | undefined>;
  now(): Date;
  crypto: Crypto;
  policy: Policy;
  /** Unique ids for sends and prompts. */
  randomId(): string;
}

interface TabState {
  /** Whether this tab replies to / forwards an encrypted message; looked up once per tab. */
  replyToEncrypted?: Promise<boolean>;
  sign: boolean | null;
  encrypt: boolean | null;
  allowUnencrypted: boolean;
  lastFailure: string | null;
  /** What the toolbar button of this tab shows now, so an unchanged state is not set again. */
  toolbar?: ToolbarState;
}

interface PendingSend {
  tabId: number;
  plan: SendPlan;
  recipients: ResolvedRecipient[];
  ownSigning: OwnCertificate | null;
  ownEncryption: OwnCertificate | null;
}

interface PendingPrompt {
  resolve: (unlocked: boolean) => void;
}

export const NO_DEFAULTS: ComposeDefaults = { signByDefault: false, encryptWhenPossible: false, requireEncryption: false };

export class ComposeSessions {
  private readonly tabs = new Map<number, TabState>();
  private readonly pending = new Map<string, PendingSend>();
  private readonly prompts = new Map<string, PendingPrompt>();

  constructor(private readonly deps: ComposeSessionDeps) {}

  private state(tabId: number): TabState {
    let state = this.tabs.get(tabId);
    if (!state) {
      state = { sign: null, encrypt: null, allowUnencrypted: false, lastFailure: null };
      this.tabs.set(tabId, state);
    }
    return state;
  }

  /** Everything the popup shows, computed fresh from the compose window. */
  async view(tabId: number, snapshot?: ComposeSnapshot): Promise<{ view: ComposeView; plan: SendPlan; recipients: ResolvedRecipient[]; ownSigning: OwnCertificate | null; ownEncryption: OwnCertificate | null }> {
    const { platform, keys } = this.deps;
    const details = snapshot ?? (await platform.composeDetails(tabId));
    const address = details.identityId ? await platform.identityAddress(details.identityId) : null;
    const defaults = address ? await this.deps.defaults(address) : NO_DEFAULTS;
    const now = this.deps.now();
    const recipients = await resolveRecipients(details, this.deps.certificates, { now, crypto: this.deps.crypto });
    const ownSigning = address ? await keys.current(address, 'signing') : null;
    const ownEncryption = address ? await keys.current(address, 'encryption') : null;
    const state = this.state(tabId);
    const encryptionPossible = recipients.length > 0 && recipients.every((r) => r.certificate !== null);
    const sign = state.sign ?? defaults.signByDefault;
    const replyToEncrypted = await this.repliesToEncrypted(state, details);
    // SEC-19: a reply to (or forward of) encrypted mail defaults to encrypted; if that is
    // impossible the blockers say so before anything is sent.
    const encrypt = defaults.requireEncryption || (state.encrypt ?? (replyToEncrypted || (defaults.encryptWhenPossible && encryptionPossible)));
    const plan = planSend({
      choices: { sign, encrypt, allowUnencrypted: state.allowUnencrypted, requireEncryption: defaults.requireEncryption },
      address: address ?? '',
      recipients,
      ownSigning,
      ownEncryption,
      now,
      allowedContentEncryption: await this.deps.allowedContentEncryption?.(),
    });
    const view: ComposeView = {
      tabId,
      identity: address ? plan.own : null,
      sign,
      encrypt,
      requireEncryption: defaults.requireEncryption,
      allowUnencrypted: state.allowUnencrypted,
      recipients: recipients.map((r) => r.view),
      encryptionPossible,
      locked: !keys.isUnlocked(),
      blockers: plan.blockers,
      lastFailure: state.lastFailure,
      replyToEncrypted,
    };
    return { view, plan, recipients, ownSigning, ownEncryption };
  }

  private repliesToEncrypted(state: TabState, details: ComposeSnapshot): Promise<boolean> {
    const related = details.relatedMessageId ?? null;
    if (related === null || (details.composeType !== 'reply' && details.composeType !== 'forward')) return Promise.resolve(false);
    state.replyToEncrypted ??= this.deps.platform.isEncryptedMessage(related).catch((error: unknown) => {
      // Unknown counts as encrypted: the safe default for a reply (SEC-19).
      console.error('Waxseal: could not read the message replied to', error);
      return true;
    });
    return state.replyToEncrypted;
  }

  async getView(tabId: number): Promise<ComposeView> {
    const { view, plan } = await this.view(tabId);
    await this.showToolbar(tabId, plan);
    return view;
  }

  /**
   * Sets the toolbar button only when its state changes: the popup asks for the view each time it opens,
   * and re-setting an unchanged icon and label on the button it hangs from is wasted work in every window.
   */
  private async showToolbar(tabId: number, plan: SendPlan): Promise<void> {
    const state = this.state(tabId);
    const next = toolbarState(plan);
    if (state.toolbar === next) return;
    state.toolbar = next;
    await this.deps.platform.showToolbarState(tabId, next);
  }

  async setOptions(change: ComposeOptionsChange): Promise<ComposeView> {
    const state = this.state(change.tabId);
    if (change.sign !== undefined) state.sign = change.sign;
    if (change.encrypt !== undefined) {
      state.encrypt = change.encrypt;
      if (!change.encrypt) state.allowUnencrypted = false;
    }
    if (change.allowUnencrypted !== undefined) state.allowUnencrypted = change.allowUnencrypted;
    return this.getView(change.tabId);
  }

  forgetTab(tabId: number): void {
    this.tabs.delete(tabId);
    for (const [id, send] of this.pending) if (send.tabId === tabId) this.pending.delete(id);
  }

  /**
   * compose.onBeforeSend: decides, asks for the passphrase if needed, switches Thunderbird's own
   * crypto off when ours is on, and arms the hook. Returns what the listener returns.
   */
  async beforeSend(tabId: number, snapshot: ComposeSnapshot): Promise<{ cancel?: boolean; details?: { selectedEncryptionTechnology: ThunderbirdCrypto } }> {
    try {
      return await this.decideSend(tabId, snapshot);
    } catch (error) {
      // Fail closed (SEC-07): if Waxseal cannot decide, the message may have been meant to be
      // protected, so it is not sent; the compose window stays open and Waxseal's window says why.
      console.error('Waxseal: preparing the send failed', error);
      const state = this.state(tabId);
      if (state.sign === false && state.encrypt === false) {
        // The user switched both off for this message: Waxseal is not involved, let it go.
        await this.deps.platform.disarm(tabId);
        return {};
      }
      const code = isSmimeError(error) ? error.code : 'INTERNAL_ERROR';
      this.state(tabId).lastFailure = this.deps.platform.t('compose_errorPrepare', [code]) || code;
      await this.deps.platform.showBlocked(tabId).catch((failure: unknown) => console.error('Waxseal: could not show the send failure', failure));
      return { cancel: true };
    }
  }

  private async decideSend(tabId: number, snapshot: ComposeSnapshot): Promise<{ cancel?: boolean; details?: { selectedEncryptionTechnology: ThunderbirdCrypto } }> {
    const { platform } = this.deps;
    const resolved = await this.view(tabId, snapshot);
    const { plan } = resolved;
    await this.showToolbar(tabId, plan);
    if (!plan.sign && !plan.encrypt) {
      await platform.disarm(tabId);
      return {};
    }
    if (plan.blockers.length > 0) {
      await platform.showBlocked(tabId);
      return { cancel: true };
    }
    if (plan.sign && !this.deps.keys.isUnlocked()) {
      const unlocked = await this.promptForPassphrase(tabId);
      if (!unlocked) return { cancel: true };
    }
    const sendId = this.deps.randomId();
    this.pending.set(sendId, { tabId, plan, recipients: resolved.recipients, ownSigning: resolved.ownSigning, ownEncryption: resolved.ownEncryption });
    await platform.arm(tabId, { sendId, sign: plan.sign, encrypt: plan.encrypt });
    this.state(tabId).lastFailure = null;
    const tb = snapshot.thunderbirdCrypto;
    if (tb && (tb.signMessage || tb.encryptBody)) {
      // Two encapsulations cannot be combined (thunderbird.md §5.4): ours wins, Thunderbird's is
      // switched off for this message; the hook double-checks before it takes over.
      return { details: { selectedEncryptionTechnology: { name: tb.name, signMessage: false, encryptBody: false } } };
    }
    return {};
  }

  private promptForPassphrase(tabId: number): Promise<boolean> {
    const promptId = this.deps.randomId();
    return new Promise<boolean>((resolve) => {
      this.prompts.set(promptId, { resolve });
      const closed = (): void => this.settlePrompt(promptId, false);
      this.deps.platform.askPassphrase(tabId, promptId, closed).catch(closed);
    });
  }

  private settlePrompt(promptId: string, unlocked: boolean): void {
    const prompt = this.prompts.get(promptId);
    if (!prompt) return;
    this.prompts.delete(promptId);
    prompt.resolve(unlocked);
  }

  /**
   * The passphrase window's answer. `null` cancels the send. A wrong passphrase throws (the window
   * shows the error and stays open for another try).
   * @throws SmimeError `KEYSTORE_WRONG_PASSPHRASE`, `KEYSTORE_RATE_LIMITED`, `KEYSTORE_NOT_FOUND` (no such prompt).
   */
  async answerPrompt(promptId: string, passphrase: string | null): Promise<{ unlocked: boolean }> {
    if (!this.prompts.has(promptId)) throw new SmimeError('KEYSTORE_NOT_FOUND', 'this passphrase request has expired');
    if (passphrase === null) {
      this.settlePrompt(promptId, false);
      return { unlocked: false };
    }
    await this.deps.keys.unlock(passphrase);
    this.settlePrompt(promptId, true);
    return { unlocked: true };
  }

  /** The send hook's request: sign and/or encrypt exactly what was decided in beforeSend. */
  async cryptoRequest(request: CryptoRequest): Promise<CryptoResponse> {
    const send = this.pending.get(request.options.sendId);
    this.pending.delete(request.options.sendId);
    try {
      if (!send || send.tabId !== request.tabId) return this.fail(request.tabId, 'compose_errorNotPrepared');
      const { plan } = send;
      // SEC-31/33: the same size cap as for received mail; a bigger message fails with a clear reason.
      if (request.entity.length > this.deps.policy.limits.maxMessageBytes) {
        return this.fail(request.tabId, 'compose_errorTooLarge', [String(Math.floor(this.deps.policy.limits.maxMessageBytes / 1048576))]);
      }
      const check = this.checkRequestMatchesPlan(request, send);
      if (check) return this.fail(request.tabId, check.message, check.substitutions);
      const hash = this.deps.policy.signingHash;
      const signer = plan.sign && send.ownSigning
        ? { certificate: send.ownSigning.certificate, chain: send.ownSigning.chain, privateKey: this.deps.keys.signingKey(send.ownSigning.identityId, hash) }
        : null;
      const self = send.ownEncryption ? { certificate: send.ownEncryption.certificate } : null;
      const recipients = send.recipients.flatMap((r) => (r.certificate ? [{ certificate: r.certificate, capabilities: r.capabilities }] : []));
      // SEC-21: the outer header fields also travel inside the protected payload (RFC 9788).
      const entity = protectHeaders(binaryStringToBytes(request.entity), request.headers ?? '', plan.encrypt ? 'cipher' : 'clear');
      const out = await protectEntity(entity, { sign: plan.sign, encrypt: plan.encrypt, contentEncryption: plan.contentEncryption }, { signer, self, recipients }, {
        crypto: this.deps.crypto,
        policy: this.deps.policy,
        signingTime: this.deps.now(),
      });
      return { mime: bytesToBinaryString(out) };
    } catch (error) {
      if (isSmimeError(error) && error.code === 'KEYSTORE_LOCKED') return this.fail(request.tabId, 'compose_errorKeyLocked');
      if (isSmimeError(error)) return this.fail(request.tabId, 'compose_errorEngine', [error.code]);
      console.error('Waxseal: signing/encrypting the outgoing message failed', error);
      return this.fail(request.tabId, 'compose_errorEngine', ['INTERNAL_ERROR']);
    }
  }

  /**
   * SEC-49a: the message must go exactly to the recipients whose certificates were checked. A
   * recipient added after onBeforeSend (or a Bcc with encryption) stops the send.
   */
  private checkRequestMatchesPlan(request: CryptoRequest, send: PendingSend): { message: string; substitutions?: string[] } | null {
    if (send.plan.encrypt && request.bcc.trim() !== '') return { message: 'compose_blocker_BCC_WITH_ENCRYPTION', substitutions: [request.bcc] };
    if (!send.plan.encrypt) return null;
    const known = new Set(send.recipients.filter((r) => r.certificate).map((r) => r.view.address.toLowerCase()));
    const unknown = listRecipients({ to: [request.to], cc: [request.cc], bcc: [] })
      .map((r) => r.address)
      .filter((address) => !known.has(address.toLowerCase()));
    return unknown.length > 0 ? { message: 'compose_blocker_RECIPIENT_CERTIFICATE_MISSING', substitutions: [unknown.join(', ')] } : null;
  }

  /**
   * Records a hook failure and shows it in Waxseal's window as well: Thunderbird's own alert says the
   * send failed, but compose.sendMessage reports such a send as resolved with no messages
   * (thunderbird.md §5.3), so the background keeps its own record.
   */
  private fail(tabId: number, message: string, substitutions?: string[]): CryptoResponse {
    const text = this.deps.platform.t(message, substitutions) || message;
    this.state(tabId).lastFailure = text;
    this.deps.platform.showBlocked(tabId).catch((error: unknown) => console.error('Waxseal: could not show the send failure', error));
    return { error: text };
  }

  /** The last hook failure of a tab (compose.sendMessage reports such a send as 0 messages). */
  lastFailure(tabId: number): string | null {
    return this.tabs.get(tabId)?.lastFailure ?? null;
  }
}

export function toolbarState(plan: Pick<SendPlan, 'sign' | 'encrypt' | 'blockers'>): ToolbarState {
  if ((plan.sign || plan.encrypt) && plan.blockers.length > 0) return 'blocked';
  if (plan.sign && plan.encrypt) return 'sign-encrypt';
  if (plan.encrypt) return 'encrypt';
  if (plan.sign) return 'sign';
  return 'off';
}

export function blockerAddresses(blocker: SendBlocker): string[] {
  return 'addresses' in blocker ? blocker.addresses : [];
}
