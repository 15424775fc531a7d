// Minimal Marionette client (Gecko's automation protocol), adapted from the Thunderbird lab
// (/work/shared/thunderbird-lab/harness/marionette-client.mjs). Wire format: "<len>:<json>";
// command = [0, id, name, params]; reply = [1, id, error, result]. Every command has a timeout.
import net from 'node:net';

export async function connectMarionette(port, { host = '127.0.0.1', timeoutMs = 30_000 } = {}) {
  const sock = net.connect(port, host);
  await withTimeout(new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); }), timeoutMs, 'marionette connect');
  let buf = Buffer.alloc(0);
  const waiting = [];
  sock.on('data', (data) => {
    buf = Buffer.concat([buf, data]);
    for (;;) {
      const colon = buf.indexOf(58);
      if (colon < 0) return;
      const len = Number(buf.subarray(0, colon).toString());
      if (buf.length < colon + 1 + len) return;
      const msg = JSON.parse(buf.subarray(colon + 1, colon + 1 + len).toString());
      buf = buf.subarray(colon + 1 + len);
      waiting.shift()?.(msg);
    }
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const hello = await withTimeout(next(), timeoutMs, 'marionette hello');
  let id = 0;
  async function cmd(name, params = {}) {
    const body = JSON.stringify([0, ++id, name, params]);
    const reply = next();
    sock.write(`${Buffer.byteLength(body)}:${body}`);
    const [, , err, result] = await withTimeout(reply, timeoutMs, name);
    if (err) throw new Error(`${name}: ${err.error}: ${err.message}`);
    return result;
  }
  return { hello, cmd, close: () => sock.end() };
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms); }),
  ]);
}
