// Types for demo-data.mjs (the demo content of `npm start`), for its TypeScript smoke test.
export const DEMO_FOLDER: string;
export const WAXSEAL_ID: string;
export const SIGNED_LINE: string;
export const TAMPERED_LINE: string;
export const ENCRYPTED_LINE: string;
export const DEMO_PREFS: Record<string, string>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface DemoMessage {
  name: 'signed' | 'encrypted' | 'tampered';
  subject: string;
  bytes: Buffer;
}

export interface Demo {
  dir: string;
  passphrase: string;
  /** Key store object store name → records (bytes as `{ $bytes: base64 }`). */
  stores: Record<string, Json[]>;
  messages: DemoMessage[];
  files: { rootPem: string; caPem: string; aliceCert: string; bobCert: string };
  /** TEST KEYS — NOT SECRET. */
  pem: { root: string; emailCa: string; alice: { certificate: string; key: string }; bob: { certificate: string; key: string } };
}

export function prepareDemo(dir: string): Promise<Demo>;
export function toMbox(messages: DemoMessage[]): Buffer;
export function writeDemoFolder(profileDir: string, messages: DemoMessage[]): string;
export function provisionDemoKeystore(client: { cmd(name: string, params?: unknown): Promise<{ value: unknown }> }, stores: Record<string, Json[]>, options?: { timeoutMs?: number }): Promise<string>;
export function showDemoFolder(client: { cmd(name: string, params?: unknown): Promise<{ value: unknown }> }, options?: { timeoutMs?: number }): Promise<number | null>;
export function instructions(demo: Demo): string;
