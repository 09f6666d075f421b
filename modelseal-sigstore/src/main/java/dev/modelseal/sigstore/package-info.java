/**
 * Keyless (Sigstore) OMS signatures: {@link dev.modelseal.sigstore.SigstoreVerifier} verifies a
 * bundle made with a short-lived Fulcio certificate and a Rekor transparency-log entry, offline,
 * from a trusted-root file, and hands back a {@link dev.modelseal.pin.VerifiedModel}.
 *
 * <p>It also provides {@link dev.modelseal.sigstore.SigstoreKeylessVerification}, the service that
 * verifies {@code dev.modelseal.oms.TrustPolicy.Keyless} for {@code dev.modelseal.oms.OmsVerifier}
 * (found through {@link java.util.ServiceLoader}), so that the core never depends on sigstore-java.
 *
 * <p>Guarantees: the bundle is read by modelseal's strict reader first; then the DSSE signature
 * over the exact payload bytes is checked with the leaf's key by the JDK, before anything of the
 * payload is read; then the Sigstore checks (certificate chain to the trusted root's Fulcio CA,
 * certificate transparency, transparency-log inclusion, timestamps, the signature, and the in-toto
 * subject digest) by sigstore-java against the trusted root given, with a required identity and
 * issuer; then the statement, strictly, by the core. Nothing is fetched from the network. Not
 * checked: whether the trusted root is current (the caller keeps it fresh, e.g. through TUF).
 */
package dev.modelseal.sigstore;
