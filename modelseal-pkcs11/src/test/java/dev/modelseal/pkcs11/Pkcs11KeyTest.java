package dev.modelseal.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.keys.SignatureAlgorithm;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.walk.WalkOptions;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing with keys in a real SoftHSM2 token; verification with the keys pkcs11-tool exports. */
class Pkcs11KeyTest {
  @TempDir Path tmp;

  private Path model() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(m.resolve("weights.bin"), "weights");
    Files.writeString(m.resolve("README.md"), "readme");
    return m;
  }

  private static VerificationKey exported(String label) throws Exception {
    return VerificationKey.of(
        KeyFactory.getInstance(label.startsWith("rsa") ? "RSA" : "EC")
            .generatePublic(new X509EncodedKeySpec(SoftHsm.publicKeyDer(label))));
  }

  private static Pkcs11Key open(String uri) throws Exception {
    Pkcs11Uri u = Pkcs11Uri.parse(uri);
    char[] pin = Pkcs11Pin.resolve(u, Map.of());
    try {
      return Pkcs11Key.open(u, pin);
    } finally {
      if (pin != null) {
        java.util.Arrays.fill(pin, '\0');
      }
    }
  }

  @Test
  void signsWithEachKeyTypeAndVerifiesWithTheExportedKey() throws Exception {
    Path m = model();
    for (String label : List.of("ec256", "ec384", "rsa")) {
      try (Pkcs11Key k = open(SoftHsm.uri(label))) {
        assertThat(k.tokenLabel()).isEqualTo("T");
        SigningKey key = k.signingKey(null);
        assertThat(key.algorithm())
            .isEqualTo(
                switch (label) {
                  case "ec256" -> SignatureAlgorithm.ECDSA_P256_SHA256;
                  case "ec384" -> SignatureAlgorithm.ECDSA_P384_SHA384;
                  default -> SignatureAlgorithm.RSA_PKCS1_SHA256;
                });
        Path sig = tmp.resolve(label + ".sig");
        OmsSigner.withKey(key).signTo(m, sig, WalkOptions.defaults());
        OmsVerifier.withPublicKey(exported(label)).check(m, sig);
        // Another key of the same token does not verify it.
        String other = label.equals("ec256") ? "ec384" : "ec256";
        assertThatThrownBy(() -> OmsVerifier.withPublicKey(exported(other)).check(m, sig))
            .isInstanceOf(SignatureVerificationException.class);
      }
    }
  }

  @Test
  void certificateMethodWithTheKeyInTheToken() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ca = g.generateKeyPair();
    Instant now = Instant.now();
    X500Name caName = new X500Name("CN=Test CA");
    X509Certificate caCert =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.ONE,
                        Date.from(now.minus(1, ChronoUnit.DAYS)),
                        Date.from(now.plus(1, ChronoUnit.DAYS)),
                        caName,
                        ca.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
    java.security.PublicKey tokenKey =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(SoftHsm.publicKeyDer("ec256")));
    X509Certificate leaf =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.TWO,
                        Date.from(now.minus(1, ChronoUnit.DAYS)),
                        Date.from(now.plus(1, ChronoUnit.DAYS)),
                        new X500Name("CN=release"),
                        tokenKey)
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
    Path m = model();
    Path sig = tmp.resolve("cert.sig");
    try (Pkcs11Key k = open(SoftHsm.uri("ec256"))) {
      SigningKey key = k.signingKey(VerificationKey.of(leaf.getPublicKey()));
      OmsSigner.withCertificates(key, List.of(leaf)).signTo(m, sig, WalkOptions.defaults());
    }
    OmsVerifier.withTrustAnchors(List.of(caCert)).check(m, sig);
    // The token's other key does not fit this certificate.
    try (Pkcs11Key k = open(SoftHsm.uri("ec384"))) {
      assertThatThrownBy(() -> k.signingKey(VerificationKey.of(leaf.getPublicKey())))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("not for this key");
    }
  }

  @Test
  void wrongPinSaysSoWithoutThePin() throws Exception {
    SoftHsm.dir();
    String uri =
        "pkcs11:token=T;object=ec256?module-path=" + SoftHsm.MODULE + "&pin-value=not-the-pin";
    assertThatThrownBy(() -> open(uri))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("PKCS#11 token 'T': wrong PIN")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("not-the-pin"));
    // The right PIN still works afterwards.
    try (Pkcs11Key k = open(SoftHsm.uri("ec256"))) {
      assertThat(k.signingKey(null)).isNotNull();
    }
  }

  @Test
  void noPinNamesWhereToPutIt() throws Exception {
    SoftHsm.dir();
    assertThatThrownBy(() -> open("pkcs11:token=T;object=ec256?module-path=" + SoftHsm.MODULE))
        .hasMessageContaining("needs a PIN")
        .hasMessageContaining(Pkcs11Pin.ENVIRONMENT_VARIABLE);
  }

  @Test
  void missingObjectAndMissingToken() throws Exception {
    String uri = SoftHsm.uri("ec256");
    assertThatThrownBy(() -> open(uri.replace("object=ec256", "object=nope")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("PKCS#11 token 'T': no private key 'nope' on the token");
    assertThatThrownBy(() -> open(uri.replace("token=T", "token=Other")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("PKCS#11: no token matches token 'Other'");
  }

  @Test
  void lockedTokenIsRefusedBeforeAnyPinIsTried() throws Exception {
    String uri = SoftHsm.uri("ec256").replace("token=T", "token=Locked");
    assertThatThrownBy(() -> open(uri))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("PKCS#11 token 'Locked': the token is locked: its user PIN is not initialized");
  }

  @Test
  void badModulePaths() throws Exception {
    String uri = SoftHsm.uri("ec256");
    assertThatThrownBy(() -> open(uri.replace(SoftHsm.MODULE, "/nonexistent/libp11.so")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("/nonexistent/libp11.so: PKCS#11 module-path: no such library file");
    Path notALibrary = Files.writeString(tmp.resolve("lib.so"), "not an ELF file");
    assertThatThrownBy(() -> open(uri.replace(SoftHsm.MODULE, notALibrary.toString())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a loadable PKCS#11 library");
  }

  @Test
  void closedKeyNoLongerSigns() throws Exception {
    SigningKey key;
    try (Pkcs11Key k = open(SoftHsm.uri("ec256"))) {
      key = k.signingKey(null);
    }
    assertThatThrownBy(() -> key.sign(new byte[] {1}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
