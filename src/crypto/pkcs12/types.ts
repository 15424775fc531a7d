/**
 * What a PKCS#12 file holds once read (RFC 7292 §4.2): private keys, certificates and the
 * identities (key + matching certificate + chain) built from them.
 */

/** A private key from a keyBag or pkcs8ShroudedKeyBag. */
export interface Pkcs12Key {
  /** DER PrivateKeyInfo (RFC 5958), decrypted. Key material: keep it in the background only (STYLE §5). */
  pkcs8: Uint8Array;
  /** The localKeyId attribute (PKCS#9), linking the key to its certificate. */
  localKeyId?: Uint8Array;
  /** The friendlyName attribute (BMPString). */
  friendlyName?: string;
  /** DER of the certificate whose public key matches this key, when the file holds one. */
  certificate?: Uint8Array;
}

/** A certificate from a certBag (x509Certificate). */
export interface Pkcs12Certificate {
  der: Uint8Array;
  friendlyName?: string;
  localKeyId?: Uint8Array;
}

/** A private key with its verified certificate and the chain found among the other certificates. */
export interface Pkcs12Identity {
  pkcs8: Uint8Array;
  certificate: Uint8Array;
  /** Issuer certificates from the file, nearest issuer first (by name, then by key identifier). */
  chain: Uint8Array[];
  friendlyName?: string;
}

export interface Pkcs12Contents {
  /**
   * `'mac'` when the password integrity MAC was present and verified; `'none'` for files without one, whose
   * unencrypted parts could have been changed by anyone (the UI may say so).
   */
  integrity: 'mac' | 'none';
  keys: Pkcs12Key[];
  certificates: Pkcs12Certificate[];
  /** One per key that has a matching certificate; several keys give several identities (SEC-38g). */
  identities: Pkcs12Identity[];
}
