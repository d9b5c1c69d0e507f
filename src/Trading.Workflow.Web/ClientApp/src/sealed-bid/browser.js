// The bid pages' side of sealed bids (Components/Pages/Bids): key files, sealing and the resumable upload of
// ciphertext. Plaintext and the private key never leave this page; the server receives ciphertext, the wrapped
// content key, digests and the signature.
import {
  createKeyPair, protectKey, unlockKey, fingerprint, sealFiles, bidLetter, manifestText, sign,
} from './core.js';

const apiHeader = { 'X-Requested-With': 'sealed-bid' };

function saveText(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Makes a key pair, gives the user the protected key file, and returns what the server keeps (the public key). */
export async function createKeyFile(passphrase, label, fileName) {
  const pair = createKeyPair();
  const keyFile = await protectKey(pair, passphrase, label);
  saveText(fileName, keyFile);
  return { publicKey: pair.publicKey, fingerprint: fingerprint(pair.publicKey) };
}

/** Saves a key file the server holds for demo accounts. */
export function saveKeyFile(fileName, text) {
  saveText(fileName, text);
}

async function readFile(file) {
  return new Uint8Array(await file.arrayBuffer());
}

// How long to wait between attempts after a dropped connection (ms); the tests shorten it.
let retryDelay = 500;

/** Sets the base delay between attempts after a dropped connection (tests only). */
export function setRetryDelay(ms) {
  retryDelay = ms;
}

function offline() {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

async function waitOnline() {
  // While the browser knows it is offline, wait for it to come back without spending attempts.
  while (offline()) await new Promise(r => setTimeout(r, Math.max(retryDelay, 1) * 4));
}

async function request(method, url, body) {
  for (let attempt = 0; ; attempt++) {
    await waitOnline();
    try {
      const init = { method, headers: { ...apiHeader }, credentials: 'same-origin' };
      if (body instanceof Uint8Array) {
        init.headers['Content-Type'] = 'application/octet-stream';
        init.body = body;
      } else if (body) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      const response = await fetch(url, init);
      let json = null;
      try { json = await response.json(); } catch { json = null; }
      return { status: response.status, json };
    } catch (e) {
      // A dropped connection: wait and try again (the upload resumes where the server stands).
      if (attempt >= 20) throw new Error('network');
      await new Promise(r => setTimeout(r, Math.min(retryDelay * (attempt + 1), retryDelay * 10)));
    }
  }
}

function problem(response, fallback) {
  return (response.json && (response.json.detail || response.json.title)) || fallback;
}

// The sealing in progress on this page: its ciphertext and where each upload stands. When the connection drops for
// longer than the retries last, submitting again with the same files, letter and key continues these uploads where
// the server stands instead of sealing (and uploading) everything anew. Only ciphertext is kept, never the key.
let pending = null;

/** Forgets the sealing in progress (after a successful submission, or when the bidder changes anything). */
export function forgetPending() {
  pending = null;
}

async function uploadCiphertext(item, upload, options, chunkBytes, onSent) {
  if (upload.document) {
    onSent(item.ciphertext.length);
    return upload.document;
  }
  let offset = 0;
  if (upload.id) {
    const s = await request('GET', `/api/documents/uploads/${upload.id}`);
    if (s.status === 200) {
      offset = s.json.receivedBytes;
      onSent(offset);
    } else {
      upload.id = null;
    }
  }
  if (!upload.id) {
    const start = await request('POST', '/api/documents/uploads', {
      fileName: `${item.name}.sm4`, totalBytes: item.ciphertext.length, projectId: options.projectId, sectionId: options.sectionId, sealed: true,
    });
    if (start.status !== 201) throw new Error(problem(start, options.failedText));
    upload.id = start.json.id;
    offset = 0;
  }
  const id = upload.id;
  while (true) {
    const chunk = item.ciphertext.subarray(offset, Math.min(offset + chunkBytes, item.ciphertext.length));
    const r = await request('PUT', `/api/documents/uploads/${id}?offset=${offset}`, chunk);
    if (r.status === 200 || r.status === 409) {
      offset = r.json.receivedBytes;
      onSent(offset);
      if (r.json.document) {
        upload.document = r.json.document;
        return r.json.document;
      }
      if (offset >= item.ciphertext.length && r.status === 200) throw new Error(options.failedText);
    } else if (r.status >= 500 || r.status === 0) {
      const s = await request('GET', `/api/documents/uploads/${id}`);
      if (s.status !== 200) throw new Error(problem(s, options.failedText));
      offset = s.json.receivedBytes;
    } else {
      throw new Error(problem(r, options.failedText));
    }
  }
}

/**
 * Seals the bid and uploads it: unlocks the key file with the passphrase, checks it is the key the platform holds,
 * encrypts the bid letter and the chosen files, uploads the ciphertext in resumable chunks (progress reported to
 * `dotnet.Progress(stage, done, total)`), signs the manifest and returns the submission for the server to verify.
 */
export async function sealAndUpload(dotnet, keyInput, filesInput, options) {
  const keyFile = keyInput.files && keyInput.files[0];
  if (!keyFile) throw new Error(options.texts.noKeyFile);
  let pair;
  try {
    pair = await unlockKey(await keyFile.text(), options.passphrase);
  } catch (e) {
    throw new Error(e.message === 'passphrase-wrong' ? options.texts.passphraseWrong : options.texts.keyFileInvalid);
  }
  if (pair.publicKey !== options.publicKey) throw new Error(options.texts.keyMismatch);

  const chosen = Array.from((filesInput && filesInput.files) || []);
  const fingerprintOfInput = JSON.stringify([options.sectionId, options.entityId, options.version, pair.publicKey, options.letter,
    chosen.map(f => [f.name, f.size, f.lastModified]), options.billOfQuantities || []]);
  if (!pending || pending.input !== fingerprintOfInput) {
    await dotnet.invokeMethodAsync('Progress', 'encrypting', 0, 1);
    const files = [{ name: '投标函.json', kind: 'BidLetter', bytes: bidLetter(options.letter) }];
    for (const f of chosen) {
      files.push({ name: f.name, kind: options.billOfQuantities && options.billOfQuantities.includes(f.name) ? 'BillOfQuantities' : 'Document', bytes: await readFile(f) });
    }
    const fresh = sealFiles(files, pair.publicKey);
    pending = { input: fingerprintOfInput, sealed: fresh, uploads: fresh.items.map(() => ({ id: null, document: null })) };
  }
  const sealed = pending.sealed;

  const settings = await request('GET', '/api/documents/settings');
  const chunkBytes = (settings.json && settings.json.chunkBytes) || 4 * 1024 * 1024;
  const total = sealed.items.reduce((n, i) => n + i.ciphertext.length, 0);
  let done = 0;
  let lastReport = 0;
  const items = [];
  for (const [index, item] of sealed.items.entries()) {
    const document = await uploadCiphertext(item, pending.uploads[index], options, chunkBytes, sent => {
      const now = Date.now();
      if (now - lastReport > 200 || done + sent >= total) {
        lastReport = now;
        dotnet.invokeMethodAsync('Progress', 'uploading', done + sent, total);
      }
    });
    done += item.ciphertext.length;
    items.push({
      name: item.name, kind: item.kind, ciphertextDocumentId: document.id, plaintextSm3: item.plaintextSm3,
      ciphertextSm3: item.ciphertextSm3, plaintextSize: item.plaintextSize, ciphertextSize: item.ciphertextSize,
    });
  }

  const manifest = { sectionId: options.sectionId, entityId: options.entityId, version: options.version, wrappedKey: sealed.wrappedKey, items };
  const signature = sign(manifestText(manifest), pair.privateKey, pair.publicKey);
  return { ...manifest, signature };
}
