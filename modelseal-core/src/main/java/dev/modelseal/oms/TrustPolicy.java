package dev.modelseal.oms;

import dev.modelseal.InvalidInputException;
import dev.modelseal.keys.VerificationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whom a verifier trusts to have signed a model: exactly one signer key ({@link PublicKey}), a
 * certificate chain leading to trust anchors ({@link CertificateChain}), or a keyless (Sigstore)
 * identity from an OIDC issuer under a trusted root ({@link Keyless}). Sealed: a verifier handles
 * every kind and no other. Immutable.
 *
 * <p>Each policy accepts bundles of its own method only ({@link #method()}); a bundle of another
 * method fails as {@link SignatureVerificationException.Failure#WRONG_METHOD}. The keyless policy
 * is verified by the {@link KeylessVerification} that {@code modelseal-sigstore} provides, so that
 * the core does not depend on sigstore-java. Not checked by any policy: who a key, anchor or
 * identity belongs to (that is the caller's decision), and certificate revocation.
 */
public sealed interface TrustPolicy
    permits TrustPolicy.PublicKey, TrustPolicy.CertificateChain, TrustPolicy.Keyless {

  /** The bundle method this policy verifies. */
  OmsBundle.Method method();

  /** Trusts exactly the holder of {@code key} (key method). */
  static PublicKey publicKey(VerificationKey key) {
    return new PublicKey(Objects.requireNonNull(key, "key"));
  }

  /**
   * Trusts leaf certificates that chain to one of {@code anchors} and are valid now (certificate
   * method).
   *
   * @throws IllegalArgumentException when no anchor is given
   */
  static CertificateChain certificateChain(List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is needed");
    }
    return new CertificateChain(List.copyOf(anchors), null);
  }

  /**
   * Trusts keyless (Sigstore) signatures whose certificate names exactly {@code identity} (its
   * subject alternative name: an e-mail address or URI) issued through exactly {@code issuer},
   * under the Sigstore instance that {@code trustedRoot} (a {@code trusted_root.json}) describes.
   * Identity and issuer are required: without them anyone with a Sigstore certificate would be
   * accepted.
   *
   * @throws InvalidInputException when identity or issuer is empty or the trusted root is not a
   *     file
   */
  static Keyless keyless(Path trustedRoot, String identity, String issuer)
      throws InvalidInputException {
    if (identity == null || identity.isBlank() || issuer == null || issuer.isBlank()) {
      throw new InvalidInputException(null, "keyless verification needs an identity and an issuer");
    }
    if (!Files.isRegularFile(trustedRoot)) {
      throw new InvalidInputException(trustedRoot, "no such trusted-root file");
    }
    return new Keyless(trustedRoot, identity, issuer);
  }

  /** The key method: one public key. */
  final class PublicKey implements TrustPolicy {
    private final VerificationKey key;

    private PublicKey(VerificationKey key) {
      this.key = key;
    }

    /** The trusted key. */
    public VerificationKey key() {
      return key;
    }

    @Override
    public OmsBundle.Method method() {
      return OmsBundle.Method.KEY;
    }

    @Override
    public String toString() {
      return "public key " + key.hint();
    }
  }

  /**
   * The certificate method: trust anchors, and the time at which the leaf must be valid (now unless
   * {@link #at} was asked for).
   */
  final class CertificateChain implements TrustPolicy {
    private final List<X509Certificate> anchors;
    private final Instant at;

    private CertificateChain(List<X509Certificate> anchors, Instant at) {
      this.anchors = anchors;
      this.at = at;
    }

    /** The trust anchors. */
    public List<X509Certificate> anchors() {
      return anchors;
    }

    /** The time certificates are checked at; empty for the time of verification. */
    public Optional<Instant> time() {
      return Optional.ofNullable(at);
    }

    /**
     * The same anchors, checking certificate validity at {@code time} instead of now: for
     * historical bundles whose leaf has expired since. A named relaxation; never the default.
     */
    public CertificateChain at(Instant time) {
      return new CertificateChain(anchors, Objects.requireNonNull(time, "time"));
    }

    @Override
    public OmsBundle.Method method() {
      return OmsBundle.Method.CERTIFICATE;
    }

    @Override
    public String toString() {
      return anchors.size() + " trust anchor(s)";
    }
  }

  /** The keyless (Sigstore) method: a trusted root, an identity and its OIDC issuer. */
  final class Keyless implements TrustPolicy {
    private final Path trustedRoot;
    private final String identity;
    private final String issuer;

    private Keyless(Path trustedRoot, String identity, String issuer) {
      this.trustedRoot = trustedRoot;
      this.identity = identity;
      this.issuer = issuer;
    }

    /** The {@code trusted_root.json} file. */
    public Path trustedRoot() {
      return trustedRoot;
    }

    /** The signer's identity, matched exactly. */
    public String identity() {
      return identity;
    }

    /** The identity's OIDC issuer, matched exactly. */
    public String issuer() {
      return issuer;
    }

    @Override
    public OmsBundle.Method method() {
      return OmsBundle.Method.SIGSTORE;
    }

    @Override
    public String toString() {
      return identity + " via " + issuer;
    }
  }
}
