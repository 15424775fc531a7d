/**
 * Warming up the verification path once, before the first message is opened (docs/performance.md G5).
 *
 * The first verification in a fresh background page costs 40-70 ms against 5-10 ms for the next one, spread over
 * compiling the MIME parser, asn1js and PKI.js decoding, certificate description and path validation (none of it
 * one hot spot). Verifying a small built-in message pays that once, at a moment the caller chooses.
 */
import { base64Decode } from '../bytes.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { mozillaEmailAnchors } from '../trust/anchors.js';
import { verifySignedMessage } from './verify-message.js';

/**
 * A multipart/signed message (multipart/mixed inside: text and a base64 attachment), signed by
 * `openssl cms -sign -md sha256` with an RSA-2048 certificate for warm-up@example.invalid issued by SAMPLE_CA.
 * TEST MATERIAL, NOT A TRUST ANCHOR: the keys were thrown away after signing, and the CA is only ever passed to
 * this one verification.
 */
const SAMPLE_MESSAGE =
  'RnJvbTogd2FybS11cEBleGFtcGxlLmludmFsaWQNClRvOiB3YXJtLXVwQGV4YW1wbGUuaW52YWxpZA0KU3ViamVjdDogd2FybS11' +
  'cA0KTUlNRS1WZXJzaW9uOiAxLjANCkNvbnRlbnQtVHlwZTogbXVsdGlwYXJ0L3NpZ25lZDsgcHJvdG9jb2w9ImFwcGxpY2F0aW9u' +
  'L3BrY3M3LXNpZ25hdHVyZSI7IG1pY2FsZz0ic2hhLTI1NiI7IGJvdW5kYXJ5PSItLS0tODRCODUwRDcyMjc3NEY1MDA5Nzk0ODQw' +
  'MTBDN0YzMkIiDQoNClRoaXMgaXMgYW4gUy9NSU1FIHNpZ25lZCBtZXNzYWdlDQoNCi0tLS0tLTg0Qjg1MEQ3MjI3NzRGNTAwOTc5' +
  'NDg0MDEwQzdGMzJCDQpDb250ZW50LVR5cGU6IG11bHRpcGFydC9taXhlZDsgYm91bmRhcnk9Indhcm0iDQoNCi0td2FybQ0KQ29u' +
  'dGVudC1UeXBlOiB0ZXh0L3BsYWluOyBjaGFyc2V0PXVzLWFzY2lpDQoNClRoaXMgbWVzc2FnZSBvbmx5IHdhcm1zIHVwIHRoZSB2' +
  'ZXJpZmljYXRpb24gY29kZS4NCi0td2FybQ0KQ29udGVudC1UeXBlOiBhcHBsaWNhdGlvbi9vY3RldC1zdHJlYW0NCkNvbnRlbnQt' +
  'VHJhbnNmZXItRW5jb2Rpbmc6IGJhc2U2NA0KQ29udGVudC1EaXNwb3NpdGlvbjogYXR0YWNobWVudDsgZmlsZW5hbWU9InNhbXBs' +
  'ZS5iaW4iDQoNClYyRjRjMlZoYkNCM1lYSnRMWFZ3SUhOaGJYQnNaUT09DQotLXdhcm0tLQ0KDQotLS0tLS04NEI4NTBENzIyNzc0' +
  'RjUwMDk3OTQ4NDAxMEM3RjMyQg0KQ29udGVudC1UeXBlOiBhcHBsaWNhdGlvbi9wa2NzNy1zaWduYXR1cmU7IG5hbWU9InNtaW1l' +
  'LnA3cyINCkNvbnRlbnQtVHJhbnNmZXItRW5jb2Rpbmc6IGJhc2U2NA0KQ29udGVudC1EaXNwb3NpdGlvbjogYXR0YWNobWVudDsg' +
  'ZmlsZW5hbWU9InNtaW1lLnA3cyINCg0KTUlJR0FBWUpLb1pJaHZjTkFRY0NvSUlGOFRDQ0JlMENBUUV4RFRBTEJnbGdoa2dCWlFN' +
  'RUFnRXdDd1lKS29aSQ0KaHZjTkFRY0JvSUlEYkRDQ0EyZ3dnZ0pRb0FNQ0FRSUNGQldGTTdEMmFpQkl2MVFNYXVnNGl4eEZWa0l3' +
  'TUEwRw0KQ1NxR1NJYjNEUUVCQ3dVQU1ESXhNREF1QmdOVkJBTU1KMWRoZUhObFlXd2dkMkZ5YlMxMWNDQnpZVzF3YkdVZw0KUTBF' +
  'Z0tHNXZkQ0IwY25WemRHVmtLVEFnRncweU5qRXhNamd4TlRJd016QmFHQTh5TVRJMk1URXdOREUxTWpBeg0KTUZvd0dURVhNQlVH' +
  'QTFVRUF3d09WMkZ5YlMxMWNDQnpZVzF3YkdVd2dnRWlNQTBHQ1NxR1NJYjNEUUVCQVFVQQ0KQTRJQkR3QXdnZ0VLQW9JQkFRREVK' +
  'MDdYOUw3amFzcmpXRUNOdDZQNEJqWmJoTVBrcTZBb0VJT1Jra2VCQ2N6SQ0KR0tua0xzZnhsOTBwVk9OamwxR1JML3RaNkM0OWxa' +
  'TkUwQVQ5U245V3hJWkt4em9FcVVjWmtZRlBxNDlLUXVvRg0KTjNFZitHclV0YW1hS3Y1UHZvS29ML3huM09mWEVyT0txRVpMSEdo' +
  'QUx2ZjVLZktpdjhvYkhyY2xHSm13dVE5aQ0KVUQ3Rk5GdTN6aDIwVEgvSy9TSStacEtEaGwyU1l4ZjhndEk3RE1wNklMYVc2bkN6' +
  'aWl6N3AyNks4d2FlQlFxMA0KWTRkWXlYZ3cvMmJZK3l2M0pUdW8vblNTMEtjbDgyV21iaHpOT25TRUVWVkZpWktYMTZoa2lvd0Rq' +
  'V2p1ZFJ1aQ0KZTFWK2N3cXBRZi9XNWtJOXRhdVRUTnRZOVBCakxnYWVKR0UwS3JHeEFnTUJBQUdqZ1l3d2dZa3dJZ1lEVlIwUg0K' +
  'QkJzd0dZRVhkMkZ5YlMxMWNFQmxlR0Z0Y0d4bExtbHVkbUZzYVdRd0RnWURWUjBQQVFIL0JBUURBZ2VBTUJNRw0KQTFVZEpRUU1N' +
  'QW9HQ0NzR0FRVUZCd01FTUIwR0ExVWREZ1FXQkJTK00yelE3aUE0aXNIQ3RhNDh5ckZIL2NQSA0KbnpBZkJnTlZIU01FR0RBV2dC' +
  'VG5KRDM4bHNOaFhkVmwvZUMwVyswRnFWdU91ekFOQmdrcWhraUc5dzBCQVFzRg0KQUFPQ0FRRUFZcnNwUUx6ZXFXQkF5M1k5TmtF' +
  'd2Q4b3BETlVoZkJKVGMyRlQwNXUxZ0VkK1RidTVrK1pTVmdpag0KS2NuWWVWcFdXS2c3UDFZS1VueG1yUHB1QzI5T1pkd3lZNUY4' +
  'RnkwL0ZadFVFWDB6OWlmclVaVnJGLzUvamQrLw0Kbll3UDZzcFhpWFZ6dEtjcVN5MkhYVHByNXQ1UmhtcHdYZnliY0xMejJVdlZZ' +
  'VWN1d0NMSXlrTGVQYURweGt5UA0KQzdheUJoQ1ZyNUd6cmZjSkl3Z0JNbHBtMUcxQ1gyb21HelRtZ0kxNXNXR09LdVF6NVBWWWpx' +
  'Wk1MS0gwdUdvdw0KQkdBS3lUdnR3ZFRJTERxTTAxSE9WS0sxQkt6K1kzTi9NTWVnNktWcUhaWUt4VHg3U1FTVEE5WjJjaGk3OHdB' +
  'Zg0KV0JWQ0RTN2EreFZLenVSS00wWURFUHB3VnhEcURER0NBbG93Z2dKV0FnRUJNRW93TWpFd01DNEdBMVVFQXd3bg0KVjJGNGMy' +
  'VmhiQ0IzWVhKdExYVndJSE5oYlhCc1pTQkRRU0FvYm05MElIUnlkWE4wWldRcEFoUVZoVE93OW1vZw0KU0w5VURHcm9PSXNjUlZa' +
  'Q01EQUxCZ2xnaGtnQlpRTUVBZ0dnZ2VRd0dBWUpLb1pJaHZjTkFRa0RNUXNHQ1NxRw0KU0liM0RRRUhBVEFjQmdrcWhraUc5dzBC' +
  'Q1FVeER4Y05Nall4TVRJNE1UVXlNRE13V2pBdkJna3Foa2lHOXcwQg0KQ1FReElnUWc3ZHVuSFZvWEplMVAvNFlsNmtONHI1U3Z6' +
  'eTlpSXdUeis2aFo1MWxDcnVRd2VRWUpLb1pJaHZjTg0KQVFrUE1Xd3dhakFMQmdsZ2hrZ0JaUU1FQVNvd0N3WUpZSVpJQVdVREJB' +
  'RVdNQXNHQ1dDR1NBRmxBd1FCQWpBSw0KQmdncWhraUc5dzBEQnpBT0JnZ3Foa2lHOXcwREFnSUNBSUF3RFFZSUtvWklodmNOQXdJ' +
  'Q0FVQXdCd1lGS3c0RA0KQWdjd0RRWUlLb1pJaHZjTkF3SUNBU2d3RFFZSktvWklodmNOQVFFQkJRQUVnZ0VBRW1WcHkwLzU1NEh5' +
  'OHppeQ0KOFczV1U4SXI4ZlVMTFd0bGxzcTUwMXBGMFRvaktoRFBCK09Oa2JxL240VGtpMjhrTk82NmU0SW9EYzA3ZG1XWg0KL20w' +
  'K1BKdWRybXRNR2xZWlB3TzFCY0VNZjVjRkRUZ3NyRlFiV0Vkai9YNlVGY2VydEZKd080cVZGN2VSRmVvTA0KUXVIV1FxMERxbkNr' +
  'bUxxZFdNMXQ3V09ONUpOQm4wL3ZhMU9Dalg1OXJncGRLSWQ3WUFJYjcrWmtDcVhZQlRLag0KVWlJOW0yNkxxQXdFTC9FWjJwdThL' +
  'SEljTUw3eVVLakZsTlhDR095QlBkNWxJalc2dWZsVFJRVnF6SjgxbXQzQw0KZGgrUGtNM1F0SzlPNlg0VExHNmY2ZncrVmF2dWU2' +
  'WllSOVk5VnAvR0JEQ0JWRHdVb1VJUWNabEQ0cHljMHF2Zg0KamNSY05RPT0NCg0KLS0tLS0tODRCODUwRDcyMjc3NEY1MDA5Nzk0' +
  'ODQwMTBDN0YzMkItLQ0KDQo=';

/** "CN=Waxseal warm-up sample CA (not trusted)", DER. */
const SAMPLE_CA =
  'MIIDVzCCAj+gAwIBAgIUbxq+VNa5li+YUlpJS9Eshn/7RqowDQYJKoZIhvcNAQELBQAwMjEwMC4GA1UEAwwnV2F4c2VhbCB3YXJt' +
  'LXVwIHNhbXBsZSBDQSAobm90IHRydXN0ZWQpMCAXDTI2MTEyODE1MjAzMFoYDzIxMjYxMTA0MTUyMDMwWjAyMTAwLgYDVQQDDCdX' +
  'YXhzZWFsIHdhcm0tdXAgc2FtcGxlIENBIChub3QgdHJ1c3RlZCkwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDGZv5N' +
  'jeA8h4PYMJMFfkXzyYkYSQMSUqfxoT9BFE0QKT2G/ddHk0tjgkv3l+uEs9UzhaLPQVszZuPpZMQxO9WI3CJu3tKRXNquwwdiPjyi' +
  'G3UC2p3rZhhQ5RVjtcgT+n+4svAcZB6ZnBHQPxmHPQ9B8AnF3gHp0ueFUxHInxG49QEuftfv3dkAOf9rjgrePcLBNc8waJVhZn0a' +
  'ZZix6KhtAI2k7/Hw/ArvLnzncT9NjGqDMOKryySg/RBLLIjpzsybR+2828mVdBWLJwg2vNI7EUJLnS2S7evwTfZ08isRYGx0YgeY' +
  'CFZ5ak5nSEE1uCpE6FUrZiwtlPswb9LRZyx3AgMBAAGjYzBhMB0GA1UdDgQWBBTnJD38lsNhXdVl/eC0W+0FqVuOuzAfBgNVHSME' +
  'GDAWgBTnJD38lsNhXdVl/eC0W+0FqVuOuzAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjANBgkqhkiG9w0BAQsFAAOC' +
  'AQEAsP2JldWphGXiwLT0wqlHOa7BHAVSVbIYcUPEk+AntSQODsMtNPp7F1DGjRPb8lEBpW0XoeoiNRSfQnjXjQILIE6s2lz5GkHj' +
  'Tsk/n4JvHpUPRWP0HVeVmlmtGAp9/8RnN+9N0l/0/PCWEDSUUg78NfirlXore88l5lUealvsYgkzRL8niu/0sXZH0ivCO+mpCXM8' +
  'gKV4ZWSI96rdiKnIZ9KlFcjkIcxcpWJmbDc2Ug8rqTNDRkjXMe/iTgtStTdiy/japqV6nTSOiISi8K3ZacXZJf5p75vVMWyrDT6m' +
  '8mxthoE2FDgC1O8oPQjFm+ehlhiT33Rch1QUIYMYWa8Dvw==';

/** Within the sample's validity, at its signing-time. */
const SAMPLE_TIME = new Date('2026-11-28T15:20:31Z');

/**
 * Verifies a small built-in signed message and discards the report, so that the first real verification does not
 * pay for compiling the engine's code (first call 40-70 ms, the next ones 5-10 ms). Call it once when the extension
 * starts, after anything more urgent. The user's anchors are not needed: the sample chains to its own CA, checked
 * next to the bundled Mozilla roots, which the real verifications then find already indexed. Nothing about the
 * sample stays except what every verification caches (the imported keys of its two certificates).
 * @throws only what verifySignedMessage throws: environment errors, never a verdict.
 */
export async function warmUp(crypto: Crypto, policy: Policy = DEFAULT_POLICY): Promise<void> {
  await verifySignedMessage(base64Decode(SAMPLE_MESSAGE), {
    anchors: [{ der: base64Decode(SAMPLE_CA), source: 'user', purposes: ['email'] }, ...mozillaEmailAnchors()],
    now: SAMPLE_TIME,
    crypto,
    policy,
  });
}

/** The sample and its anchor, for the test that checks it still verifies as valid. */
export const WARM_UP_SAMPLE = { message: SAMPLE_MESSAGE, ca: SAMPLE_CA, time: SAMPLE_TIME } as const;
