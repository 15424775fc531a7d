// #9 item 3: certificates a directory lookup recorded are listed in the options page's People view with
// source "directory", the directory's name and the lookup time, next to harvested and imported ones.
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDate } from '../../../src/options/certificates.js';
import { person, STRONG } from './fake-background.js';
import { renderOptions } from './render.js';

afterEach(cleanup);

const LOOKED_UP = '2026-05-28T09:30:00.000Z';
const people = [
  person({ id: 'h1', address: 'bob@example.org', provenance: [{ source: 'harvested', sender: 'bob@example.org', date: '2026-05-01T10:00:00Z', messageId: '<m@example.org>' }] }),
  person({ id: 'd1', address: 'carol@example.org', provenance: [{ source: 'directory', directory: 'Example LDAP', date: LOOKED_UP }] }),
  person({ id: 'i1', address: 'dave@example.org', provenance: [{ source: 'imported', date: '2026-04-01T00:00:00Z', fileName: 'dave.pem' }] }),
  // Harvested first, later returned by the directory too: the latest source is the directory.
  person({ id: 'b2', address: 'erin@example.org', provenance: [{ source: 'harvested', sender: 'erin@example.org', date: '2026-03-01T00:00:00Z', messageId: null }, { source: 'directory', directory: 'Example LDAP', date: LOOKED_UP }] }),
];

function row(id: string): HTMLElement {
  const found = screen.getAllByTestId('person-row').find((r) => r.dataset.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
}

describe('directory certificates in the People view', () => {
  it('lists them with source directory, the directory name and the lookup date, alongside harvested and imported ones', async () => {
    await renderOptions({ passphrase: STRONG, locked: false, people: structuredClone(people) }, { view: 'people' });
    expect(screen.getAllByTestId('person-row').map((r) => [r.dataset.id, r.dataset.source])).toEqual([
      ['h1', 'harvested'],
      ['d1', 'directory'],
      ['i1', 'imported'],
      ['b2', 'directory'],
    ]);
    expect(row('d1').textContent).toContain(`from the directory Example LDAP, looked up on ${formatDate(LOOKED_UP)}`);
    expect(row('h1').textContent).toContain('from a signed message of');
    expect(row('i1').textContent).toContain('imported on');
    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'source' } });
    expect(screen.getAllByTestId('person-row').map((r) => r.dataset.source)).toEqual(['directory', 'directory', 'harvested', 'imported']);
  });

  it('the details of a certificate harvested and later found in the directory name both sources', async () => {
    await renderOptions({ passphrase: STRONG, locked: false, people: structuredClone(people) }, { view: 'people' });
    fireEvent.click(within(row('b2')).getByTestId('person-details-toggle'));
    const sources = within(screen.getByTestId('person-details')).getAllByRole('listitem').map((li) => li.textContent);
    expect(sources).toContain(`from the directory Example LDAP, looked up on ${formatDate(LOOKED_UP)}`);
    expect(sources.some((s) => s?.startsWith('from a signed message of'))).toBe(true);
  });

  it('SEC-47f: a harvested certificate the directory replaces says so, without a prompt', async () => {
    const replaced = person({ id: 'r1', address: 'bob@example.org', supersededByDirectory: 'd'.repeat(64) });
    await renderOptions({ passphrase: STRONG, locked: false, people: [replaced, ...structuredClone(people).slice(1)] }, { view: 'people' });
    expect(row('r1').textContent).toContain('replaced by the certificate from the directory');
    expect(row('d1').textContent).not.toContain('replaced');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says it in German and Dutch too', async () => {
    await renderOptions({ passphrase: STRONG, locked: false, people: structuredClone(people) }, { view: 'people', lang: 'de' });
    expect(row('d1').textContent).toContain(`aus dem Verzeichnis Example LDAP, abgefragt am ${formatDate(LOOKED_UP)}`);
    cleanup();
    await renderOptions({ passphrase: STRONG, locked: false, people: structuredClone(people) }, { view: 'people', lang: 'nl' });
    expect(row('d1').textContent).toContain(`uit de adreslijst Example LDAP, opgevraagd op ${formatDate(LOOKED_UP)}`);
  });
});
