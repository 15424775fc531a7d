/**
 * Background certificate lookup in directories (#9): asks every configured directory for an
 * address, with a short timeout, in parallel, never blocking the compose window. Answers (and
 * "could not be reached") are cached for `cacheMinutes`; concurrent lookups for one address share
 * one search.
 */
import { DEFAULT_DIRECTORY_POLICY, type DirectoryPolicy } from '../../crypto/index.js';
import type { DirectoryServer } from './directory-config.js';
import { CERTIFICATE_ATTRIBUTES, certificatesFromEntries, type DirectoryEntry } from './entry-certificates.js';
import { mailFilter } from './ldap-filter.js';

/** The platform edge: one LDAP search (the `ldap` experiment in Thunderbird, a test client elsewhere). */
export interface LdapSearcher {
  search(request: { server: DirectoryServer; filter: string; attributes: readonly string[]; sizeLimit: number; timeoutMs: number }): Promise<DirectoryEntry[]>;
}

export interface DirectoryCertificate {
  certificate: Uint8Array;
  /** The directory's name, kept as provenance. */
  directory: string;
}

export interface DirectoryAnswer {
  status: 'answered' | 'unreachable' | 'not-configured';
  certificates: DirectoryCertificate[];
  /** CA certificates the directories sent along (chain material for validation, never candidates). */
  intermediates: Uint8Array[];
  /** Names of directories that could not be asked (timeout, connection or bind failure). */
  unreachable: string[];
  /** ISO time of the lookup. */
  checkedAt: string;
}

export interface DirectoryLookupDeps {
  searcher: LdapSearcher;
  /** The directories to ask now (address books change while Thunderbird runs). */
  servers(): Promise<DirectoryServer[]>;
  now(): Date;
  policy?: DirectoryPolicy;
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class DirectoryLookup {
  private readonly cache = new Map<string, { answer: DirectoryAnswer; expires: number }>();
  private readonly inFlight = new Map<string, Promise<DirectoryAnswer>>();
  private readonly policy: DirectoryPolicy;

  constructor(private readonly deps: DirectoryLookupDeps) {
    this.policy = deps.policy ?? DEFAULT_DIRECTORY_POLICY;
  }

  /** The cached answer for `address`, if still fresh; never starts a search. */
  cached(address: string): DirectoryAnswer | undefined {
    const key = address.trim().toLowerCase();
    const hit = this.cache.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.deps.now().getTime()) {
      this.cache.delete(key);
      return undefined;
    }
    return hit.answer;
  }

  /** Looks `address` up (or returns the cached answer). `refresh` ignores the cache. Never rejects. */
  lookup(address: string, options: { refresh?: boolean } = {}): Promise<DirectoryAnswer> {
    const key = address.trim().toLowerCase();
    if (!options.refresh) {
      const hit = this.cached(key);
      if (hit) return Promise.resolve(hit);
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const search = this.search(key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, search);
    return search;
  }

  /** Forgets every cached answer (the directory configuration changed). */
  clear(): void {
    this.cache.clear();
  }

  private async search(address: string): Promise<DirectoryAnswer> {
    const checkedAt = this.deps.now().toISOString();
    let servers: DirectoryServer[];
    try {
      servers = await this.deps.servers();
    } catch (error) {
      console.warn('Waxseal: directory list unavailable', error);
      servers = [];
    }
    if (servers.length === 0) return { status: 'not-configured', certificates: [], intermediates: [], unreachable: [], checkedAt };
    const results = await Promise.all(
      servers.map(async (server) => {
        try {
          const entries = await withTimeout(
            this.deps.searcher.search({ server, filter: mailFilter(address, server.filter), attributes: CERTIFICATE_ATTRIBUTES, sizeLimit: this.policy.maxEntries, timeoutMs: this.policy.timeoutMs }),
            this.policy.timeoutMs,
          );
          const parsed = certificatesFromEntries(entries, this.policy);
          return { server, certificates: parsed.certificates, intermediates: parsed.intermediates, reached: true };
        } catch (error) {
          console.warn(`Waxseal: directory ${server.name} not reached`, error);
          return { server, certificates: [] as Uint8Array[], intermediates: [] as Uint8Array[], reached: false };
        }
      }),
    );
    const certificates: DirectoryCertificate[] = [];
    for (const r of results) for (const certificate of r.certificates) certificates.push({ certificate, directory: r.server.name });
    const unreachable = results.filter((r) => !r.reached).map((r) => r.server.name);
    // One directory answering is an answer; "unreachable" only when none could be asked (SEC-47e).
    const answer: DirectoryAnswer = {
      status: results.some((r) => r.reached) ? 'answered' : 'unreachable',
      certificates: certificates.slice(0, this.policy.maxCertificatesPerAddress),
      intermediates: results.flatMap((r) => r.intermediates).slice(0, this.policy.maxCertificatesPerAddress),
      unreachable,
      checkedAt,
    };
    this.remember(address, answer);
    return answer;
  }

  private remember(address: string, answer: DirectoryAnswer): void {
    if (this.cache.size >= this.policy.maxCacheEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    // "Could not be reached" is retried after a minute at most: the server may be back soon.
    const minutes = answer.status === 'unreachable' ? Math.min(1, this.policy.cacheMinutes) : this.policy.cacheMinutes;
    this.cache.set(address, { answer, expires: this.deps.now().getTime() + minutes * 60_000 });
  }
}
