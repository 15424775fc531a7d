// @vitest-environment happy-dom
/**
 * SEC-01 (EFAIL direct exfiltration) and SEC-21: every backchannel HTML offers is removed by the
 * decrypted-HTML sanitiser. Each case puts the "plaintext" next to a load of a URL on a local HTTP
 * server; the sanitised HTML may name no URL but data: images, and rendering it makes zero requests.
 */
import { createServer, type Server } from 'node:http';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sanitizeHtml, type CidImage } from '../../../src/background/read/html-sanitizer.js';

let server: Server;
let origin = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const SECRET = 'Meet at noon';

/** One EFAIL backchannel each (Poddebniak et al. 2018, table 4; security.md SEC-01). */
const CHANNELS: [string, (u: string) => string][] = [
  ['img src', (u) => `<img src="${u}/img">`],
  ['img srcset', (u) => `<img srcset="${u}/srcset 2x" src="cid:missing">`],
  ['picture source srcset', (u) => `<picture><source srcset="${u}/picture"><img src="${u}/picture-img"></picture>`],
  ['CSS url() in style attribute', (u) => `<div style="background-image:url(${u}/style-attr)">x</div>`],
  ['CSS url() escaped', (u) => `<div style="background:u\\72l(${u}/escaped)">x</div>`],
  ['CSS in <style>', (u) => `<style>p{background:url(${u}/style-element)}</style>`],
  ['@import', (u) => `<style>@import "${u}/import.css";</style>`],
  ['@font-face', (u) => `<style>@font-face{font-family:x;src:url(${u}/font.woff)}</style><p style="font-family:x">f</p>`],
  ['link stylesheet', (u) => `<link rel="stylesheet" href="${u}/link.css">`],
  ['link prefetch', (u) => `<link rel="prefetch" href="${u}/prefetch">`],
  ['form action', (u) => `<form action="${u}/form"><input name="q" value="v"><button formaction="${u}/formaction">go</button></form>`],
  ['meta refresh', (u) => `<meta http-equiv="refresh" content="0; url=${u}/refresh">`],
  ['object data', (u) => `<object data="${u}/object"></object>`],
  ['embed src', (u) => `<embed src="${u}/embed">`],
  ['iframe src', (u) => `<iframe src="${u}/iframe"></iframe>`],
  ['SVG image', (u) => `<svg><image href="${u}/svg-image"/><image xlink:href="${u}/svg-xlink"/></svg>`],
  ['SVG use', (u) => `<svg><use href="${u}/svg-use#a"/></svg>`],
  ['background attribute', (u) => `<table background="${u}/table-bg"><tr><td background="${u}/td-bg">t</td></tr></table><body background="${u}/body-bg">`],
  ['video poster', (u) => `<video poster="${u}/poster"><source src="${u}/video-src"></video>`],
  ['audio src', (u) => `<audio src="${u}/audio"></audio>`],
  ['input image', (u) => `<input type="image" src="${u}/input-image">`],
  ['base href', (u) => `<base href="${u}/"><img src="relative.png">`],
  ['script', (u) => `<script>fetch("${u}/script")</script>`],
  ['event handler', (u) => `<p onclick="fetch('${u}/onclick')" onmouseover="fetch('${u}/over')">p</p><img src="x" onerror="fetch('${u}/onerror')">`],
  ['anchor ping', (u) => `<a href="${u}/href" ping="${u}/ping">link</a>`],
  ['unclosed img (the EFAIL attribute trick)', (u) => `<img src="${u}/efail?`],
  ['bgsound and lowsrc', (u) => `<bgsound src="${u}/bgsound"><img lowsrc="${u}/lowsrc" dynsrc="${u}/dynsrc">`],
];

/**
 * The sanitiser's parser: a browser's DOMParser document is inert (nothing loads), happy-dom's is not
 * (it fetches <link> stylesheets), so the input is parsed in a happy-dom window with loading switched
 * off, as in Thunderbird. The output is then rendered in the test's ordinary document, which does load
 * (a <link> there reaches the server), so the zero-request check can fail.
 */
const inert = new Window({ settings: { disableCSSFileLoading: true, disableJavaScriptFileLoading: true, disableJavaScriptEvaluation: true, disableIframePageLoading: true } });
const PARSER = (): DOMParser => new inert.DOMParser() as unknown as DOMParser;

beforeEach(() => {
  requests.length = 0;
});

describe('the zero-request check can fail', () => {
  it('an unsanitised <link> rendered in the test document reaches the server', async () => {
    const frame = document.createElement('div');
    frame.append(...Array.from(new DOMParser().parseFromString(`<link rel="stylesheet" href="${origin}/control.css">`, 'text/html').head.childNodes));
    document.body.append(frame);
    for (let i = 0; i < 40 && requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    frame.remove();
    expect(requests).toEqual(['/control.css']);
  });
});

describe('decrypted HTML sanitiser: EFAIL backchannels (SEC-01)', () => {
  for (const [name, build] of CHANNELS) {
    it(`SEC-01: ${name} names no URL and loads nothing`, async () => {
      const input = `<html><head><title>t</title></head><body><p>${SECRET}</p>${build(origin)}</body></html>`;
      expect(input).toContain(origin);
      const { html } = sanitizeHtml(input, PARSER(), []);
      // A link's address may stay as tooltip text (title), which loads nothing; no other place may hold it.
      expect(html.replace(/ title="[^"]*"/g, '')).not.toContain('127.0.0.1');
      expect(html).not.toMatch(/\b(src|href|srcset|poster|background|action|formaction|data|ping)\s*=/i);
      expect(html).not.toMatch(/\bon\w+\s*=/i);
      expect(html.toLowerCase()).not.toMatch(/<(script|style|link|meta|form|object|embed|iframe|svg|video|audio|input|base|picture|source)\b/);
      // The plaintext itself survives (the text is what the reader came for).
      expect(html).toContain(SECRET);
      // Rendered in a document: nothing reaches the server.
      const frame = document.createElement('div');
      frame.append(...Array.from(new DOMParser().parseFromString(html, 'text/html').body.childNodes));
      document.body.append(frame);
      await new Promise((resolve) => setTimeout(resolve, 50));
      frame.remove();
      expect(requests).toEqual([]);
    });
  }
});

describe('decrypted HTML sanitiser: what stays', () => {
  const png: CidImage = { contentId: 'logo@example.com', contentType: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };

  it('SEC-01: a cid: image of the message becomes a data: URL; an unknown cid, an SVG part and a remote image do not', () => {
    const svg: CidImage = { contentId: 'vector@example.com', contentType: 'image/svg+xml', bytes: new Uint8Array([0x3c]) };
    const { html, blocked } = sanitizeHtml(
      `<p><img alt="logo" src="cid:logo@example.com"><img alt="gone" src="cid:other@example.com"><img alt="vector" src="cid:vector@example.com"><img alt="remote" src="${origin}/r"></p>`,
      PARSER(),
      [png, svg],
    );
    expect(html).toContain('src="data:image/png;base64,iVBORw=="');
    expect(html).toContain('[gone]');
    expect(html).toContain('[vector]');
    expect(html).toContain('[remote]');
    expect(blocked).toBe(3);
  });

  it('keeps formatting: tables, lists, emphasis, safe inline styles; links become text with the address in the tooltip', () => {
    const { html } = sanitizeHtml(
      '<table border="1"><tr><td colspan="2" style="color: red; font-weight: bold">cell</td></tr></table><ul><li><b>bold</b> <i>it</i></li></ul><a href="https://example.com/x">site</a>',
      PARSER(),
      [],
    );
    expect(html).toContain('<table border="1">');
    expect(html).toContain('style="color: red; font-weight: bold"');
    expect(html).toContain('<li><b>bold</b> <i>it</i></li>');
    expect(html).toContain('<a title="https://example.com/x">site</a>');
  });

  it('SEC-37: nesting deeper than the limit is cut off instead of recursing without bound', () => {
    const deep = '<div>'.repeat(5000) + 'bottom' + '</div>'.repeat(5000);
    const { html } = sanitizeHtml(`<p>top</p>${deep}`, PARSER(), [], { maxDepth: 64, maxNodes: 100_000 });
    expect(html).toContain('top');
    expect(html).not.toContain('bottom');
    expect(html.split('<div>').length - 1).toBeLessThanOrEqual(65);
  });
});
