package dev.modelseal.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.keys.PemFiles;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.testing.SharedVectors;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OMS spec's vectors. The valid bundles sign the model of the historical {@code
 * v1.1.0-elliptic-key} directory (same two files) with the reference key and chain.
 */
class SpecVectorsTest {
  static OmsVerifier keyVerifier() throws Exception {
    return OmsVerifier.withPublicKey(
        PemFiles.readPublicKey(
            SharedVectors.modelTransparency().resolve("keys/signing-key-pub.pem")));
  }

  static OmsVerifier certificateVerifier() throws Exception {
    return OmsVerifier.withTrustAnchors(
        PemFiles.readCertificates(SharedVectors.modelTransparency().resolve("keys/ca-cert.pem")));
  }

  static Stream<Arguments> valid() {
    return Stream.of(Arguments.of("key.bundle.json"), Arguments.of("certificate.bundle.json"));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void verify_validVector_signatureAndModelVerify(String name) throws Exception {
    Path bundle = SharedVectors.omsSpec().resolve("valid").resolve(name);
    OmsVerifier v = name.startsWith("key") ? keyVerifier() : certificateVerifier();
    VerifiedStatement st = v.verifyStatement(OmsBundle.read(bundle));
    assertThat(st.root().hex())
        .isEqualTo("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4");
    Path model = SharedVectors.modelTransparency().resolve("v1.1.0-elliptic-key");
    // The model directory holds the historical model.sig, which this bundle did not exclude.
    assertThat(v.ignoring(List.of("model.sig")).check(model, bundle).root()).isEqualTo(st.root());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("invalid/empty.bundle.json", Failure.MALFORMED_BUNDLE, "empty"),
        Arguments.of(
            "invalid/missing-envelope.bundle.json", Failure.MISSING_ENVELOPE, "no dsseEnvelope"),
        Arguments.of(
            "invalid/missing-tlog-entries.bundle.json",
            Failure.MISSING_TLOG_ENTRIES,
            "without transparency log entries"),
        Arguments.of(
            "invalid/missing-verification-material.bundle.json",
            Failure.MISSING_VERIFICATION_MATERIAL,
            "no verificationMaterial"),
        // The spec edited this payload without signing it again: the signature is checked before
        // the statement (OMS 8.3), so it fails as a bad signature, never reaching the predicate
        // type (BadInputTest covers a signed statement of another predicate type).
        Arguments.of(
            "invalid-payload/wrong-predicate.bundle.json",
            Failure.BAD_SIGNATURE,
            "does not verify"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void verify_invalidVector_throwsPreciseReason(String name, Failure failure, String message)
      throws Exception {
    Path bundle = SharedVectors.omsSpec().resolve(name);
    Path model = SharedVectors.modelTransparency().resolve("v1.1.0-elliptic-key");
    // A key bundle given to a certificate verifier fails earlier, as WRONG_METHOD.
    List<OmsVerifier> verifiers =
        name.startsWith("invalid-payload")
            ? List.of(keyVerifier())
            : List.of(keyVerifier(), certificateVerifier());
    for (OmsVerifier v : verifiers) {
      assertThatThrownBy(() -> v.check(model, bundle))
          .isInstanceOfSatisfying(
              SignatureVerificationException.class, e -> assertThat(e.failure()).isEqualTo(failure))
          .hasMessageContaining(message);
    }
  }

  @Test
  void verify_validKeyVectorWithOtherKey_throwsKeyMismatch() throws Exception {
    Path bundle = SharedVectors.omsSpec().resolve("valid/key.bundle.json");
    OmsVerifier other =
        OmsVerifier.withPublicKey(
            dev.modelseal.keys.VerificationKey.of(
                dev.modelseal.testing.TestPki.ec("secp384r1").getPublic()));
    assertThatThrownBy(() -> other.verifyStatement(OmsBundle.read(bundle)))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.KEY_MISMATCH));
  }

  @Test
  void verify_keylessPolicyWithoutTheSigstoreModule_saysWhatIsMissing(
      @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path root = java.nio.file.Files.writeString(tmp.resolve("trusted_root.json"), "{}");
    OmsVerifier v =
        OmsVerifier.create(TrustPolicy.keyless(root, "alice@example.com", "https://issuer"));
    Path keyless = SharedVectors.omsSpec().resolve("valid/sigstore.bundle.json");
    assertThatThrownBy(() -> v.verifyStatement(OmsBundle.read(keyless)))
        .isInstanceOf(dev.modelseal.InvalidInputException.class)
        .hasMessageContaining("needs modelseal-sigstore on the class path");
    // A bundle of another method is refused before any keyless check.
    Path key = SharedVectors.omsSpec().resolve("valid/key.bundle.json");
    assertThatThrownBy(() -> v.verifyStatement(OmsBundle.read(key)))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_METHOD))
        .hasMessageContaining("keyless (Sigstore) verification was asked for");
    assertThatThrownBy(() -> TrustPolicy.keyless(root, "", "https://issuer"))
        .hasMessageContaining("needs an identity and an issuer");
  }
}
