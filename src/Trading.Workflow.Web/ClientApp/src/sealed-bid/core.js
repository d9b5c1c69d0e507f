// Sealed bids in the browser (and in node, for the interoperability test): GM/T cryptography with sm-crypto 0.5.8.
// - the bidder's SM2 key pair, kept in a passphrase-protected key file (PBKDF2-SHA-256 → AES-256-GCM, WebCrypto);
// - each bid file SM4-CBC encrypted under a fresh random content key, a random IV before the ciphertext, PKCS#7;
// - the content key wrapped with SM2 (C1C3C2, cipherMode 1) to the bidder's own public key;
// - the canonical manifest (the same text as Domain/SealedBids/Crypto/SealedBidManifest.cs) signed with SM2/SM3.
// Nothing here is a hand-written cipher: every primitive is sm-crypto's or WebCrypto's.
import smCrypto from 'sm-crypto';

const { sm2, sm3, sm4 } = smCrypto;
const cipherMode = 1; // C1C3C2
const block = 16;
// SM4 works on plain arrays in sm-crypto; large files go through in pieces, CBC chaining carried across them.
const piece = 1024 * 1024;

export const keyFileFormat = 'tw-bidder-key';
export const keyFileVersion = 1;
const iterations = 310000;

export function toHex(bytes) {
  let hex = '';
  for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16);
  return hex;
}

export function fromHex(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

function toBase64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function random(length) {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** A new SM2 key pair: private key 64 hex digits, public key uncompressed 04||X||Y. */
export function createKeyPair() {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

/** SM3 (hex) of bytes or of a string's UTF-8. */
export function sm3Hex(input) {
  return sm3(typeof input === 'string' ? input : Array.from(input));
}

/** The key's fingerprint: SM3 of the public key's bytes (as the server computes it). */
export function fingerprint(publicKey) {
  return sm3Hex(fromHex(publicKey));
}

async function passphraseKey(passphrase, salt, rounds) {
  const material = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return globalThis.crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: rounds },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** The key file (JSON text): the private key encrypted under a key derived from the passphrase. */
export async function protectKey(pair, passphrase, label) {
  if (!passphrase || passphrase.length < 8) throw new Error('passphrase-too-short');
  const salt = random(16);
  const iv = random(12);
  const key = await passphraseKey(passphrase, salt, iterations);
  const sealed = new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, fromHex(pair.privateKey)));
  return JSON.stringify({
    format: keyFileFormat,
    version: keyFileVersion,
    algorithm: 'SM2',
    label: label || '',
    publicKey: pair.publicKey,
    fingerprint: fingerprint(pair.publicKey),
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt) },
    cipher: { name: 'AES-256-GCM', iv: toBase64(iv) },
    privateKey: toBase64(sealed),
  }, null, 2);
}

/** Opens a key file with its passphrase: { privateKey, publicKey }. Throws 'key-file-invalid' or 'passphrase-wrong'. */
export async function unlockKey(keyFileText, passphrase) {
  let file;
  try { file = JSON.parse(keyFileText); } catch { throw new Error('key-file-invalid'); }
  if (!file || file.format !== keyFileFormat || file.version !== keyFileVersion || !file.kdf || !file.cipher) throw new Error('key-file-invalid');
  const key = await passphraseKey(passphrase || '', fromBase64(file.kdf.salt), file.kdf.iterations);
  let plain;
  try {
    plain = new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(file.cipher.iv) }, key, fromBase64(file.privateKey)));
  } catch {
    throw new Error('passphrase-wrong');
  }
  const privateKey = toHex(plain);
  if (sm2.getPublicKeyFromPrivateKey(privateKey) !== file.publicKey) throw new Error('key-file-invalid');
  return { privateKey, publicKey: file.publicKey };
}

/** SM4-CBC with PKCS#7 under `key` (16 bytes): a random IV followed by the ciphertext, as a Uint8Array. */
export function encryptFile(key, plain, iv = random(block)) {
  const out = new Uint8Array(block + (Math.floor(plain.length / block) + 1) * block);
  out.set(iv, 0);
  let chain = Array.from(iv);
  let at = block;
  for (let start = 0; ; start += piece) {
    const last = start + piece >= plain.length;
    const part = Array.from(plain.subarray(start, Math.min(start + piece, plain.length)));
    const cipher = sm4.encrypt(part, Array.from(key), { mode: 'cbc', iv: chain, padding: last ? 'pkcs#7' : 'none', output: 'array' });
    out.set(cipher, at);
    at += cipher.length;
    if (last) break;
    chain = cipher.slice(cipher.length - block);
  }
  return out;
}

/** The reverse of encryptFile. Throws when the key is wrong (the padding does not check out). */
export function decryptFile(key, sealed) {
  if (sealed.length < 2 * block || sealed.length % block !== 0) throw new Error('not-ciphertext');
  const parts = [];
  let chain = Array.from(sealed.subarray(0, block));
  for (let start = block; start < sealed.length; start += piece) {
    const end = Math.min(start + piece, sealed.length);
    const last = end >= sealed.length;
    const part = Array.from(sealed.subarray(start, end));
    parts.push(sm4.decrypt(part, Array.from(key), { mode: 'cbc', iv: chain, padding: last ? 'pkcs#7' : 'none', output: 'array' }));
    chain = part.slice(part.length - block);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** The content key wrapped to the public key: SM2 C1C3C2 hex (C1 without 04, as sm-crypto writes it). */
export function wrapKey(contentKey, publicKey) {
  return sm2.doEncrypt(Array.from(contentKey), publicKey, cipherMode);
}

export function unwrapKey(wrappedKey, privateKey) {
  let hex = wrappedKey.toLowerCase();
  // BouncyCastle writes C1 with its 04 prefix; sm-crypto expects it without.
  if (hex.length % 2 === 0 && (hex.length / 2) % 2 === 1 && hex.startsWith('04')) hex = hex.substring(2);
  const key = sm2.doDecrypt(hex, privateKey, cipherMode, { output: 'array' });
  if (!key || key.length !== block) throw new Error('key-unwrap-failed');
  return Uint8Array.from(key);
}

export function sign(text, privateKey, publicKey) {
  return sm2.doSignature(text, privateKey, { hash: true, publicKey });
}

export function verify(text, signature, publicKey) {
  return sm2.doVerifySignature(text, signature, publicKey, { hash: true });
}

const kindCodes = { BidLetter: 'bid-letter', Document: 'document', BillOfQuantities: 'bill-of-quantities' };

/** The canonical manifest, the same text as SealedBidManifest.Canonical() on the server. */
export function manifestText(m) {
  let text = 'tw-sealed-bid/1\n';
  text += `section:${m.sectionId.toLowerCase()}\n`;
  text += `entity:${m.entityId.toLowerCase()}\n`;
  text += `version:${m.version}\n`;
  text += `wrapped-key:${m.wrappedKey.toLowerCase()}\n`;
  for (const item of m.items) {
    text += `item:${kindCodes[item.kind]}|${toHex(new TextEncoder().encode(item.name))}|${item.plaintextSm3.toLowerCase()}|`
      + `${item.ciphertextSm3.toLowerCase()}|${item.plaintextSize}|${item.ciphertextSize}\n`;
  }
  return text;
}

/**
 * Seals a bid: files [{ name, kind, bytes }] → { contentKey, wrappedKey, items: [{ name, kind, ciphertext, plaintextSm3,
 * ciphertextSm3, plaintextSize, ciphertextSize }] }. `onFile(index)` is told as each file is done.
 */
export function sealFiles(files, publicKey, onFile) {
  const contentKey = random(block);
  const wrappedKey = wrapKey(contentKey, publicKey);
  const items = files.map((f, index) => {
    const ciphertext = encryptFile(contentKey, f.bytes);
    const item = {
      name: f.name, kind: f.kind, ciphertext,
      plaintextSm3: sm3Hex(f.bytes), ciphertextSm3: sm3Hex(ciphertext),
      plaintextSize: f.bytes.length, ciphertextSize: ciphertext.length,
    };
    if (onFile) onFile(index);
    return item;
  });
  return { contentKey, wrappedKey, items };
}

/** The bid letter (投标函) as the UTF-8 JSON the opening record is built from. */
export function bidLetter({ price, durationDays, quality, remarks }) {
  return new TextEncoder().encode(JSON.stringify({ price: String(price), durationDays: Number(durationDays), quality: quality || '', remarks: remarks || '' }));
}
