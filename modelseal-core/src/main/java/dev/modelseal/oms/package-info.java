/**
 * OpenSSF Model Signing (OMS) v1.0 signatures: Sigstore bundles holding a DSSE envelope whose
 * payload is an in-toto Statement listing every file's digest. {@link dev.modelseal.oms.OmsSigner}
 * signs with a key (and optionally a certificate chain); {@link dev.modelseal.oms.OmsVerifier}, the
 * one verifier, applies a sealed {@link dev.modelseal.oms.TrustPolicy} (a public key, trust
 * anchors, or a keyless identity verified by the {@link dev.modelseal.oms.KeylessVerification}
 * service that {@code modelseal-sigstore} provides) to a model from any {@link
 * dev.modelseal.source.ModelSource} and hands back a {@link dev.modelseal.pin.VerifiedModel}; the
 * statement it verified is a {@link dev.modelseal.oms.VerifiedStatement}, which only it constructs.
 *
 * <p>Guarantees of verification: the signature is checked over the payload bytes exactly as they
 * appear in the bundle (JSON is never re-serialized), before the statement is read (OMS 8.3: an
 * edited statement is a bad signature); the statement is then read strictly (duplicate keys,
 * unknown types, several subjects, empty or duplicate or escaping resource names, a root that does
 * not match the resources are all refused); the model's files are then hashed once, and the
 * verified handle holds exactly those bytes. Relaxations are named ({@code ignoring}, {@code
 * ignoreUnsignedFiles}, {@code at}) and never on by default. Not checked: certificate revocation,
 * and who a key, anchor or identity belongs to.
 */
package dev.modelseal.oms;
