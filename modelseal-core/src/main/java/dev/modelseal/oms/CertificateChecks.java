package dev.modelseal.oms;

import dev.modelseal.InvalidInputException;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate method's checks, all by the JDK: the leaf is within its validity period at the
 * verification time; the chain (leaf, then the bundle's intermediates) is a PKIX path to one of the
 * trust anchors, validated by {@link CertPathValidator} at that time with revocation checking off;
 * the leaf may sign (key usage digitalSignature, or extended key usage codeSigning).
 */
final class CertificateChecks {
  /** Extended key usage codeSigning. */
  static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private CertificateChecks() {}

  /** Runs the checks and returns the leaf's key. */
  static VerificationKey verify(
      List<X509Certificate> chain, List<X509Certificate> anchors, Instant at, Path src)
      throws SignatureVerificationException {
    Instant time = at != null ? at : Instant.now();
    Date date = Date.from(time);
    X509Certificate leaf = chain.get(0);
    try {
      leaf.checkValidity(date);
    } catch (CertificateExpiredException e) {
      throw fail(
          src,
          Failure.CERTIFICATE_EXPIRED,
          "the leaf certificate expired on "
              + leaf.getNotAfter().toInstant()
              + " (checked at "
              + time
              + ")");
    } catch (CertificateNotYetValidException e) {
      throw fail(
          src,
          Failure.CERTIFICATE_NOT_YET_VALID,
          "the leaf certificate is valid only from "
              + leaf.getNotBefore().toInstant()
              + " (checked at "
              + time
              + ")");
    }
    validatePath(chain, anchors, date, src);
    checkUsage(leaf, src);
    try {
      return VerificationKey.of(leaf.getPublicKey());
    } catch (InvalidInputException e) {
      throw fail(src, Failure.UNSUPPORTED_KEY, "leaf certificate: " + e.reason());
    }
  }

  private static void validatePath(
      List<X509Certificate> chain, List<X509Certificate> anchors, Date date, Path src)
      throws SignatureVerificationException {
    Set<TrustAnchor> trust = new HashSet<>();
    for (X509Certificate a : anchors) {
      trust.add(new TrustAnchor(a, null));
    }
    List<X509Certificate> path = new ArrayList<>();
    path.add(chain.get(0));
    for (X509Certificate c : chain.subList(1, chain.size())) {
      if (anchors.contains(c)) {
        break; // the anchor itself need not (and must not) be part of the path
      }
      path.add(c);
    }
    try {
      CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(trust);
      params.setRevocationEnabled(false);
      params.setDate(date);
      CertPathValidator.getInstance("PKIX").validate(cp, params);
    } catch (CertPathValidatorException e) {
      String where = e.getIndex() >= 0 ? " (certificate " + e.getIndex() + ")" : "";
      throw fail(
          src,
          Failure.UNTRUSTED_CHAIN,
          "the certificate chain does not lead to a trust anchor: " + e.getMessage() + where);
    } catch (InvalidAlgorithmParameterException e) {
      throw fail(src, Failure.UNTRUSTED_CHAIN, "unusable trust anchors: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw fail(src, Failure.UNTRUSTED_CHAIN, "cannot validate the chain: " + e.getMessage());
    }
  }

  private static void checkUsage(X509Certificate leaf, Path src)
      throws SignatureVerificationException {
    boolean[] ku = leaf.getKeyUsage();
    if (ku != null && ku.length > 0 && ku[0]) {
      return;
    }
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku != null && eku.contains(CODE_SIGNING)) {
        return;
      }
    } catch (CertificateParsingException e) {
      throw fail(src, Failure.CERTIFICATE_USAGE, "malformed extended key usage in the leaf");
    }
    throw fail(
        src,
        Failure.CERTIFICATE_USAGE,
        "the leaf certificate may not sign (no digitalSignature key usage, no codeSigning"
            + " extended key usage)");
  }

  private static SignatureVerificationException fail(Path src, Failure f, String reason) {
    return new SignatureVerificationException(src, f, reason);
  }
}
