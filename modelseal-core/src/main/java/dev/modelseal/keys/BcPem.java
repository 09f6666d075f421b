package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The PEM forms only Bouncy Castle reads (private keys in every encoding, encrypted keys, {@code
 * RSA PUBLIC KEY}, certificates between arbitrary text), kept apart from {@link PemFiles} so that
 * the common case, a {@code PUBLIC KEY} the JDK reads alone, never loads Bouncy Castle's signed
 * jars (verifying their signatures costs a tenth of a second at start-up).
 */
final class BcPem {
  private BcPem() {}

  static VerificationKey readPublicKey(String text, Path file) throws InvalidInputException {
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (o instanceof SubjectPublicKeyInfo spki) {
          return VerificationKey.of(spki, file);
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          file, "not a valid PEM public key: " + PemFiles.describe(e), e);
    }
    throw new InvalidInputException(file, "no PEM public key (-----BEGIN PUBLIC KEY-----) found");
  }

  static SigningKey readPrivateKey(String text, char[] password, Path file)
      throws InvalidInputException {
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = p.readObject()) != null) {
        PrivateKeyInfo info = privateKeyInfo(o, password, file);
        if (info != null) {
          return signingKey(info, file);
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          file, "not a valid PEM private key: " + PemFiles.describe(e), e);
    }
    throw new InvalidInputException(
        file, "no PEM private key (-----BEGIN ... PRIVATE KEY-----) found");
  }

  static List<X509Certificate> readCertificates(String text, Path file)
      throws InvalidInputException {
    List<X509Certificate> out = new ArrayList<>();
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject o;
      while ((o = r.readPemObject()) != null) {
        if (!o.getType().equals("CERTIFICATE")) {
          continue;
        }
        if (out.size() == PemFiles.MAX_CERTIFICATES) {
          throw new InvalidInputException(
              file, "more than " + PemFiles.MAX_CERTIFICATES + " certificates");
        }
        out.add(PemFiles.certificate(o.getContent(), file));
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          file, "not a valid PEM certificate file: " + PemFiles.describe(e), e);
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(
          file, "no PEM certificate (-----BEGIN CERTIFICATE-----) found");
    }
    return out;
  }

  private static PrivateKeyInfo privateKeyInfo(Object o, char[] password, Path file)
      throws InvalidInputException {
    try {
      if (o instanceof PrivateKeyInfo info) {
        return info;
      }
      if (o instanceof PEMKeyPair kp) {
        return kp.getPrivateKeyInfo();
      }
      if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
        requirePassword(password, file);
        return enc.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(new BouncyCastleProvider())
                .build(password));
      }
      if (o instanceof PEMEncryptedKeyPair enc) {
        requirePassword(password, file);
        return enc.decryptKeyPair(
                new JcePEMDecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider())
                    .build(password))
            .getPrivateKeyInfo();
      }
      return null;
    } catch (PKCSException | PEMException e) {
      throw new InvalidInputException(file, "cannot decrypt the private key (wrong password?)", e);
    } catch (OperatorCreationException | IOException e) {
      throw new InvalidInputException(
          file, "cannot decrypt the private key: " + PemFiles.describe(e), e);
    }
  }

  private static void requirePassword(char[] password, Path file) throws InvalidInputException {
    if (password == null) {
      throw new InvalidInputException(file, "the private key is encrypted; give a password file");
    }
  }

  private static SigningKey signingKey(PrivateKeyInfo info, Path file)
      throws InvalidInputException {
    SubjectPublicKeyInfo spki = publicOf(info, file);
    VerificationKey pub = VerificationKey.of(spki, file);
    String jcaKeyType = PemFiles.keyType(pub.algorithm());
    try {
      PrivateKey priv =
          KeyFactory.getInstance(jcaKeyType)
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      return SigningKey.of(priv, pub);
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(file, "unusable private key: " + e.getMessage(), e);
    }
  }

  /** Derives the public key of a private key with Bouncy Castle's key arithmetic. */
  private static SubjectPublicKeyInfo publicOf(PrivateKeyInfo info, Path file)
      throws InvalidInputException {
    try {
      AsymmetricKeyParameter k = PrivateKeyFactory.createKey(info);
      if (k instanceof ECPrivateKeyParameters ec) {
        if (!(info.getPrivateKeyAlgorithm().getParameters()
            instanceof ASN1ObjectIdentifier curve)) {
          throw new InvalidInputException(file, "EC private key without a named curve");
        }
        ECPoint q =
            new FixedPointCombMultiplier()
                .multiply(ec.getParameters().getG(), ec.getD())
                .normalize();
        return new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
            q.getEncoded(false));
      }
      if (k instanceof Ed25519PrivateKeyParameters ed) {
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(ed.generatePublicKey());
      }
      if (k instanceof RSAPrivateCrtKeyParameters rsa) {
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
            new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()));
      }
      throw new InvalidInputException(
          file,
          "unsupported private key type "
              + info.getPrivateKeyAlgorithm().getAlgorithm()
              + " (EC P-256/P-384/P-521, Ed25519 and RSA are supported)");
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file, "malformed private key: " + PemFiles.describe(e), e);
    }
  }

  static PublicKey jdkPublicKey(SubjectPublicKeyInfo spki, SignatureAlgorithm a, Path file)
      throws InvalidInputException {
    try {
      return KeyFactory.getInstance(PemFiles.keyType(a))
          .generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(file, "unusable public key: " + e.getMessage(), e);
    }
  }
}
