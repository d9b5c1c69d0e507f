// The bidder's side of the remote opening (Components/Pages/Openings/OpeningRoom.razor): the key file is read and
// opened with its passphrase here, the bid's content key is unwrapped (SM2, sm-crypto via the sealed-bid module),
// and only that 16-byte key goes back to the server. The key file and the passphrase never leave the browser.
import { unlockKey, unwrapKey, toHex } from '../sealed-bid/core.js';

/**
 * Reads the key file chosen in `input`, opens it with `passphrase` and unwraps `wrappedKeyHex`.
 * Returns { contentKey } (32 hex digits) or { error }: NoFile, BadFile, BadPassphrase, WrongKey.
 */
export async function unwrapContentKey(input, passphrase, wrappedKeyHex) {
  const file = input && input.files && input.files[0];
  if (!file) return { contentKey: null, error: 'NoFile' };
  let keys;
  try {
    keys = await unlockKey(await file.text(), passphrase);
  } catch (e) {
    return { contentKey: null, error: e && e.message === 'passphrase-wrong' ? 'BadPassphrase' : 'BadFile' };
  }
  try {
    return { contentKey: toHex(unwrapKey(wrappedKeyHex, keys.privateKey)), error: null };
  } catch {
    return { contentKey: null, error: 'WrongKey' };
  }
}
