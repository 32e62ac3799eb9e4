// Passkeys in the browser: the server's WebAuthn options (JSON, base64url) turned into what
// navigator.credentials takes, and the credential it makes turned back into JSON for the server.
// Written out rather than PublicKeyCredential.parse*FromJSON / toJSON, which older browsers lack.

/** Whether this browser can make and use passkeys at all. */
export function passkeysSupported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

function bytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const text = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function text(buffer) {
  if (!buffer) return null;
  let binary = "";
  new Uint8Array(buffer).forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const descriptors = (list) => (list || []).map((each) => ({ ...each, id: bytes(each.id) }));

/** A new passkey for the options of POST /portal/auth/passkeys/options, as JSON. */
export async function createPasskey(options) {
  const made = await navigator.credentials.create({ publicKey: {
    ...options, challenge: bytes(options.challenge), user: { ...options.user, id: bytes(options.user.id) },
    excludeCredentials: descriptors(options.excludeCredentials) } });
  return { id: made.id, rawId: text(made.rawId), type: made.type,
    authenticatorAttachment: made.authenticatorAttachment || undefined, clientExtensionResults: {},
    response: { clientDataJSON: text(made.response.clientDataJSON), attestationObject: text(made.response.attestationObject),
      transports: made.response.getTransports ? made.response.getTransports() : [] } };
}

/** The answer of a passkey to the options of POST /portal/auth/passkeys/sign-in/options, as JSON. */
export async function usePasskey(options) {
  const used = await navigator.credentials.get({ publicKey: {
    ...options, challenge: bytes(options.challenge), allowCredentials: descriptors(options.allowCredentials) } });
  return { id: used.id, rawId: text(used.rawId), type: used.type,
    authenticatorAttachment: used.authenticatorAttachment || undefined, clientExtensionResults: {},
    response: { clientDataJSON: text(used.response.clientDataJSON), authenticatorData: text(used.response.authenticatorData),
      signature: text(used.response.signature), userHandle: text(used.response.userHandle) } };
}
