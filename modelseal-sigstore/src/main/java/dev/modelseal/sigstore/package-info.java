/**
 * Keyless (Sigstore) OMS signatures: {@link dev.modelseal.sigstore.SigstoreVerifier} verifies a
 * bundle made with a short-lived Fulcio certificate and a Rekor transparency-log entry, offline,
 * from a trusted-root file, and hands back a {@link dev.modelseal.pin.VerifiedModel}.
 *
 * <p>Guarantees: the bundle and statement are read by modelseal's strict readers first; the
 * Sigstore checks (certificate chain to the trusted root's Fulcio CA, certificate transparency,
 * transparency-log inclusion, timestamps, the signature, and the in-toto subject digest) are done
 * by sigstore-java against the trusted root given, with a required identity and issuer; the DSSE
 * signature is also checked by modelseal over the exact payload bytes with the JDK. Nothing is
 * fetched from the network. Not checked: whether the trusted root is current (the caller keeps it
 * fresh, e.g. through TUF).
 */
package dev.modelseal.sigstore;
