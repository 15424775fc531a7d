/**
 * WebCrypto comes in as a parameter (STYLE §1). PKI.js gets it through an explicit engine object,
 * never through its global `getCrypto()`.
 */
import * as pkijs from 'pkijs';

const engines = new WeakMap<Crypto, pkijs.CryptoEngine>();

/** The PKI.js engine for this WebCrypto instance (cached per instance). */
export function pkijsEngine(crypto: Crypto): pkijs.CryptoEngine {
  let engine = engines.get(crypto);
  if (!engine) {
    engine = new pkijs.CryptoEngine({ name: 'waxseal', crypto });
    engines.set(crypto, engine);
  }
  return engine;
}
