/**
 * OpenSSF Model Signing (OMS) v1.0 signatures: Sigstore bundles holding a DSSE envelope whose
 * payload is an in-toto Statement listing every file's digest. {@link dev.modelseal.oms.OmsSigner}
 * signs with a key (and optionally a certificate chain); {@link dev.modelseal.oms.OmsVerifier}
 * verifies with a public key or with trust anchors and hands back a {@link
 * dev.modelseal.pin.VerifiedModel}.
 *
 * <p>Guarantees of verification: the signature is checked over the payload bytes exactly as they
 * appear in the bundle (JSON is never re-serialized); the statement is read strictly (duplicate
 * keys, unknown types, several subjects, empty or duplicate or escaping resource names, a root that
 * does not match the resources are all refused); the model's files are then hashed once, and the
 * verified handle holds exactly those bytes. Relaxations are named ({@code ignoring}, {@code
 * ignoreUnsignedFiles}, {@code at}) and never on by default. Not checked: keyless (Sigstore)
 * bundles, certificate revocation, and who a key or anchor belongs to.
 */
package dev.modelseal.oms;
