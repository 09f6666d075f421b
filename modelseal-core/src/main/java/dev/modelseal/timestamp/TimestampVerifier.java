package dev.modelseal.timestamp;

import dev.modelseal.timestamp.TimestampException.Kind;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;

/**
 * Verifies RFC 3161 timestamp tokens over a signature: the token parses (at most {@link
 * #MAX_TOKEN_BYTES}); its message imprint uses SHA-256, SHA-384 or SHA-512 and equals that hash of
 * the signature bytes (compared in constant time); the signing TSA certificate is in the token (or
 * given), chains by PKIX to one of the trusted roots at the token's time with revocation off, has
 * the critical extended key usage timeStamping and only it, and its key verifies the token's CMS
 * signature (Bouncy Castle's {@code TimeStampToken.validate}, which also requires the certificate
 * to be valid at {@code genTime}). The nonce is checked when the token is requested ({@link
 * TimestampAuthority}), not here: a verifier does not know it.
 */
public final class TimestampVerifier {
  /** The largest token read. */
  public static final int MAX_TOKEN_BYTES = 64 * 1024;

  static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";

  private static final Map<ASN1ObjectIdentifier, String> DIGESTS =
      Map.of(
          NISTObjectIdentifiers.id_sha256, "SHA-256",
          NISTObjectIdentifiers.id_sha384, "SHA-384",
          NISTObjectIdentifiers.id_sha512, "SHA-512");

  private final List<X509Certificate> roots;

  private TimestampVerifier(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * A verifier trusting TSAs that chain to {@code roots}.
   *
   * @throws IllegalArgumentException when no root is given
   */
  public static TimestampVerifier trusting(List<X509Certificate> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one TSA trust anchor is needed");
    }
    return new TimestampVerifier(roots);
  }

  /**
   * Verifies {@code token} (DER) as a timestamp over {@code signature}.
   *
   * @throws TimestampException naming the failed check
   */
  public VerifiedTimestamp verify(byte[] token, byte[] signature) throws TimestampException {
    if (token.length > MAX_TOKEN_BYTES) {
      throw new TimestampException(
          Kind.INVALID, "the timestamp is larger than " + MAX_TOKEN_BYTES + " bytes");
    }
    TimeStampToken t = parse(token);
    ASN1ObjectIdentifier alg = t.getTimeStampInfo().getMessageImprintAlgOID();
    String digest = DIGESTS.get(alg);
    if (digest == null) {
      throw new TimestampException(Kind.INVALID, "the timestamp's imprint uses hash " + alg);
    }
    byte[] want;
    try {
      want = MessageDigest.getInstance(digest).digest(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    if (!MessageDigest.isEqual(want, t.getTimeStampInfo().getMessageImprintDigest())) {
      throw new TimestampException(
          Kind.INVALID, "the timestamp is not over this signature (message imprint differs)");
    }
    Date genTime = t.getTimeStampInfo().getGenTime();
    X509Certificate tsa = signer(t);
    validatePath(tsa, certificates(t), genTime);
    checkUsage(tsa);
    try {
      SignerInformationVerifier v = new JcaSimpleSignerInfoVerifierBuilder().build(tsa);
      t.validate(v);
    } catch (TSPValidationException e) {
      throw new TimestampException(
          Kind.INVALID, "the timestamp does not verify: " + e.getMessage());
    } catch (TSPException | OperatorCreationException | RuntimeException e) {
      throw new TimestampException(
          Kind.INVALID, "the timestamp does not verify: " + e.getMessage());
    }
    return VerifiedTimestamp.afterVerification(
        genTime.toInstant(), tsa.getSubjectX500Principal().getName());
  }

  private static TimeStampToken parse(byte[] token) throws TimestampException {
    try {
      return new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(token));
    } catch (CMSException | TSPException | IOException | RuntimeException e) {
      throw new TimestampException(Kind.INVALID, "malformed timestamp token");
    }
  }

  private static List<X509Certificate> certificates(TimeStampToken t) throws TimestampException {
    List<X509Certificate> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> all =
        t.getCertificates().getMatches((Selector<X509CertificateHolder>) null);
    if (all.size() > 10) {
      throw new TimestampException(Kind.INVALID, "the timestamp carries over 10 certificates");
    }
    JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
    for (X509CertificateHolder h : all) {
      try {
        out.add(conv.getCertificate(h));
      } catch (java.security.cert.CertificateException e) {
        throw new TimestampException(Kind.INVALID, "malformed certificate in the timestamp");
      }
    }
    return out;
  }

  private X509Certificate signer(TimeStampToken t) throws TimestampException {
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> m = t.getCertificates().getMatches(t.getSID());
    if (m.isEmpty()) {
      // A token without certReq: the TSA certificate may be given as a trusted root itself.
      for (X509Certificate r : roots) {
        if (t.getSID().match(holder(r))) {
          return r;
        }
      }
      throw new TimestampException(
          Kind.UNTRUSTED, "the timestamp does not carry its TSA certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(m.iterator().next());
    } catch (java.security.cert.CertificateException e) {
      throw new TimestampException(Kind.INVALID, "malformed TSA certificate in the timestamp");
    }
  }

  private static X509CertificateHolder holder(X509Certificate c) throws TimestampException {
    try {
      return new X509CertificateHolder(c.getEncoded());
    } catch (IOException | java.security.cert.CertificateEncodingException e) {
      throw new TimestampException(Kind.UNTRUSTED, "unusable TSA trust anchor");
    }
  }

  private void validatePath(X509Certificate tsa, List<X509Certificate> others, Date at)
      throws TimestampException {
    if (roots.contains(tsa)) {
      return;
    }
    Set<TrustAnchor> trust = new HashSet<>();
    for (X509Certificate r : roots) {
      trust.add(new TrustAnchor(r, null));
    }
    List<X509Certificate> path = new ArrayList<>();
    path.add(tsa);
    // Intermediates from the token, issuer by issuer, up to (not including) a root.
    X509Certificate cur = tsa;
    for (int i = 0; i < others.size(); i++) {
      X509Certificate next = null;
      for (X509Certificate o : others) {
        if (!path.contains(o)
            && !roots.contains(o)
            && o.getSubjectX500Principal().equals(cur.getIssuerX500Principal())) {
          next = o;
        }
      }
      if (next == null) {
        break;
      }
      path.add(next);
      cur = next;
    }
    try {
      PKIXParameters p = new PKIXParameters(trust);
      p.setRevocationEnabled(false);
      p.setDate(at);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), p);
    } catch (CertPathValidatorException e) {
      throw new TimestampException(
          Kind.UNTRUSTED,
          "the timestamp's TSA does not chain to a TSA trust anchor: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new TimestampException(Kind.UNTRUSTED, "cannot validate the TSA: " + e.getMessage());
    }
  }

  private static void checkUsage(X509Certificate tsa) throws TimestampException {
    try {
      List<String> eku = tsa.getExtendedKeyUsage();
      boolean critical =
          tsa.getCriticalExtensionOIDs() != null
              && tsa.getCriticalExtensionOIDs().contains("2.5.29.37");
      if (eku != null && critical && eku.size() == 1 && eku.contains(TIME_STAMPING)) {
        return;
      }
    } catch (CertificateParsingException e) {
      // reported below
    }
    throw new TimestampException(
        Kind.UNTRUSTED,
        "the TSA certificate may not stamp (needs the critical extended key usage timeStamping"
            + " alone)");
  }
}
