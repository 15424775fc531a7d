/**
 * A real OpenLDAP server for directory tests (#9): Debian's slapd, started as the test's own process
 * on a free loopback port with a generated slapd.conf and an LDIF loaded by slapadd, stopped by PID.
 * Also `ldapsearchSearcher`, an `LdapSearcher` that runs OpenLDAP's ldapsearch, so unit tests query
 * the server with an independent client (the product path is the Thunderbird experiment).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryEntry } from '../../src/background/directory/entry-certificates.js';
import type { LdapSearcher } from '../../src/background/directory/directory-lookup.js';

export const INSTALL_HINT = 'apt-get install -y slapd ldap-utils';
const SLAPD_CANDIDATES = ['/usr/sbin/slapd', 'slapd'];

function which(command: string): string | null {
  for (const candidate of command === 'slapd' ? SLAPD_CANDIDATES : [command]) {
    const probe = spawnSync(candidate, candidate.endsWith('slapd') ? ['-VVV'] : ['-VV'], { encoding: 'utf8' });
    if (!probe.error) return candidate;
  }
  return null;
}

/** Throws (so the test fails) naming the install command when slapd or ldapsearch is missing. */
export function requireLdapTools(): { slapd: string; slapadd: string; ldapsearch: string } {
  const slapd = which('slapd');
  const ldapsearch = which('ldapsearch');
  if (!slapd || !ldapsearch) throw new Error(`OpenLDAP tools missing (slapd: ${slapd ?? 'no'}, ldapsearch: ${ldapsearch ?? 'no'}); install with: ${INSTALL_HINT}`);
  return { slapd, slapadd: '/usr/sbin/slapadd', ldapsearch };
}

export const SUFFIX = 'dc=example,dc=com';
export const ADMIN_DN = `cn=admin,${SUFFIX}`;
export const ADMIN_PASSWORD = 'test-admin-password';

export interface Slapd {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd did not listen on port ${port}`);
}

/**
 * Starts slapd with `ldif` (entries below dc=example,dc=com; the suffix entry is added here).
 * Entries under ou=restricted are readable only after a simple bind; userPassword only for binding.
 */
export async function startSlapd(ldif: string): Promise<Slapd> {
  const tools = requireLdapTools();
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-slapd-'));
  mkdirSync(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'database mdb',
      `suffix "${SUFFIX}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw ${ADMIN_PASSWORD}`,
      `directory ${join(dir, 'db')}`,
      'maxsize 10485760',
      'access to attrs=userPassword by anonymous auth by * none',
      `access to dn.subtree="ou=restricted,${SUFFIX}" by users read by * none`,
      'access to * by * read',
      '',
    ].join('\n'),
  );
  const base = `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\ndn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\ndn: ou=restricted,${SUFFIX}\nobjectClass: organizationalUnit\nou: restricted\n\n`;
  writeFileSync(join(dir, 'data.ldif'), base + ldif);
  const add = spawnSync(tools.slapadd, ['-f', conf, '-l', join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // `-d 0` keeps slapd in the foreground, so the child's PID is slapd's and we stop exactly it.
  const child: ChildProcess = spawn(tools.slapd, ['-h', `${url}/`, '-f', conf, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, Date.now() + 10_000);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    url,
    port,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP listener that accepts connections and never answers: a directory that hangs. */
export async function startSilentServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ldap://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** LDIF lines for one attribute value in base64 (RFC 2849 §2, `::`). */
export function ldifBinary(attribute: string, value: Uint8Array): string {
  return `${attribute}:: ${Buffer.from(value).toString('base64')}`;
}

/** Parses ldapsearch -LLL output (RFC 2849): unfolds lines, decodes `::` values, keeps values as bytes. */
export function parseLdif(text: string): DirectoryEntry[] {
  const unfolded = text.replace(/\r?\n /g, '');
  const entries: DirectoryEntry[] = [];
  for (const block of unfolded.split(/\r?\n\r?\n/)) {
    let entry: DirectoryEntry | null = null;
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([^:]+)(::?)\s?(.*)$/.exec(line);
      if (!match) continue;
      const [, name, separator, raw] = match as unknown as [string, string, string, string];
      const value = separator === '::' ? new Uint8Array(Buffer.from(raw, 'base64')) : new TextEncoder().encode(raw);
      if (name.toLowerCase() === 'dn') {
        entry = { dn: new TextDecoder().decode(value), attributes: {} };
        entries.push(entry);
      } else if (entry) {
        (entry.attributes[name] ??= []).push(value);
      }
    }
  }
  return entries;
}

/** An `LdapSearcher` running OpenLDAP's ldapsearch (-x simple bind or anonymous, -ZZ for StartTLS). */
export function ldapsearchSearcher(): LdapSearcher {
  const { ldapsearch } = requireLdapTools();
  return {
    search({ server, filter, attributes, sizeLimit, timeoutMs }) {
      const args = ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', server.url, '-b', server.baseDn, '-s', server.scope, '-z', String(sizeLimit), '-l', String(Math.ceil(timeoutMs / 1000)), '-o', `nettimeout=${Math.ceil(timeoutMs / 1000)}`];
      if (server.bindDn) args.push('-D', server.bindDn, '-w', server.bindPassword ?? '');
      args.push(filter, ...attributes);
      return new Promise((resolve, reject) => {
        execFile(ldapsearch, args, { encoding: 'utf8', timeout: timeoutMs + 1000 }, (error, stdout, stderr) => {
          // Exit 4 is "size limit exceeded" with the entries up to the limit: an answer.
          if (error && (error as { code?: unknown }).code !== 4) reject(new Error(`ldapsearch: ${stderr || error.message}`));
          else resolve(parseLdif(stdout));
        });
      });
    },
  };
}
