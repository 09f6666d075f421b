package dev.modelseal.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.VerifiedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference's keyless bundles, verified offline against Sigstore's public-good trusted root.
 *
 * <p>The trusted root is data we may not commit (it is not ours) and sigstore-java 2.0.0 does not
 * ship one (it downloads it through TUF). These tests read it from {@code
 * -Dmodelseal.sigstoreTrustedRoot=FILE}, else from {@code
 * <shared>/vectors/sigstore/trusted_root.json}, and are skipped when neither exists, unless {@code
 * -Dmodelseal.requireShared=true} (as CI sets it): then they fail.
 */
class SigstoreVectorsTest {
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  static Path trustedRoot;

  @BeforeAll
  static void trustedRoot() {
    trustedRoot = locateTrustedRoot();
  }

  /** The public-good trusted root, or the test is skipped. */
  static Path locateTrustedRoot() {
    String explicit = System.getProperty("modelseal.sigstoreTrustedRoot");
    Path p =
        explicit != null && !explicit.isBlank()
            ? Path.of(explicit)
            : sharedDir().resolve("vectors/sigstore/trusted_root.json");
    String missing =
        "no Sigstore trusted root at " + p.toAbsolutePath() + " (-Dmodelseal.sigstoreTrustedRoot)";
    if (!Files.isRegularFile(p) && Boolean.getBoolean("modelseal.requireShared")) {
      fail(missing); // CI: keyless verification must run, never skip
    }
    assumeTrue(Files.isRegularFile(p), missing);
    return p;
  }

  static Path vectors() {
    Path v = sharedDir().resolve("vectors/oms/model-transparency-1.1.1");
    if (!Files.isDirectory(v)) {
      if (Boolean.getBoolean("modelseal.requireShared")) {
        fail("shared vectors not found at " + v.toAbsolutePath());
      }
      assumeTrue(false, "shared vectors not found at " + v.toAbsolutePath());
    }
    return v;
  }

  /** {@code -Dmodelseal.shared}, else the worktree's sibling {@code shared} directory. */
  static Path sharedDir() {
    String p = System.getProperty("modelseal.shared");
    return p != null && !p.isBlank() ? Path.of(p) : Path.of("..", "..", "shared");
  }

  static SigstoreVerifier verifier(String vector) throws Exception {
    SigstoreVerifier v = SigstoreVerifier.create(trustedRoot, IDENTITY, ISSUER);
    return vector.startsWith("v1.0.1") ? v.ignoring(List.of("ignore-me")) : v;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"v0.3.1-sigstore", "v1.0.0-sigstore", "v1.0.1-sigstore", "v1.1.0-sigstore"})
  void verify_keylessVector_succeeds(String vector) throws Exception {
    Path dir = vectors().resolve(vector);
    try (VerifiedModel m = verifier(vector).open(dir, dir.resolve("model.sig"))) {
      assertThat(m.fileNames()).containsExactly("signme-1", "signme-2");
      assertThat(m.readAllBytes("signme-2")).isEqualTo(Files.readAllBytes(dir.resolve("signme-2")));
    }
  }

  @Test
  void verify_otherIdentity_refused() throws Exception {
    Path dir = vectors().resolve("v1.1.0-sigstore");
    SigstoreVerifier v = SigstoreVerifier.create(trustedRoot, "mallory@example.com", ISSUER);
    assertThatThrownBy(() -> v.check(dir, dir.resolve("model.sig")))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BAD_SIGNATURE))
        .hasMessageContaining("keyless verification failed");
  }

  @Test
  void verify_modifiedFile_namesIt(@TempDir Path tmp) throws Exception {
    Path src = vectors().resolve("v1.1.0-sigstore");
    Path dir = Files.createDirectories(tmp.resolve("m"));
    for (String f : List.of("signme-1", "signme-2", "ignore-me", "model.sig")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    byte[] b = Files.readAllBytes(dir.resolve("signme-2"));
    b[0] ^= 1;
    Files.write(dir.resolve("signme-2"), b);
    assertThatThrownBy(() -> verifier("v1.1.0-sigstore").check(dir, dir.resolve("model.sig")))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("modified: signme-2");
  }

  @Test
  void verify_keyBundle_wrongMethod() throws Exception {
    Path dir = vectors().resolve("v1.1.0-elliptic-key");
    assertThatThrownBy(() -> verifier("v1.1.0").check(dir, dir.resolve("model.sig")))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_METHOD));
  }

  @Test
  void create_withoutIdentity_refused() {
    assertThatThrownBy(() -> SigstoreVerifier.create(trustedRoot, "", ISSUER))
        .hasMessageContaining("needs an identity and an issuer");
  }

  @Test
  void verify_throughTheCoreVerifierWithAKeylessPolicy_succeeds() throws Exception {
    Path dir = vectors().resolve("v1.1.0-sigstore");
    dev.modelseal.oms.OmsVerifier v =
        dev.modelseal.oms.OmsVerifier.create(
            dev.modelseal.oms.TrustPolicy.keyless(trustedRoot, IDENTITY, ISSUER));
    assertThat(v.check(dir, dir.resolve("model.sig")).resources()).hasSize(2);
  }

  @Test
  void verify_editedSubject_isABadSignature(@TempDir Path tmp) throws Exception {
    Path src = vectors().resolve("v1.1.0-sigstore");
    Path dir = Files.createDirectories(tmp.resolve("m"));
    for (String f : List.of("signme-1", "signme-2", "ignore-me")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    // Replace the payload's subject digest (one hex digit) and keep the signature.
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode bundle =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.readTree(src.resolve("model.sig").toFile());
    com.fasterxml.jackson.databind.node.ObjectNode env =
        (com.fasterxml.jackson.databind.node.ObjectNode) bundle.get("dsseEnvelope");
    String payload =
        new String(
            java.util.Base64.getDecoder().decode(env.get("payload").textValue()),
            java.nio.charset.StandardCharsets.UTF_8);
    String key = "\"sha256\":";
    int at = payload.indexOf('"', payload.indexOf(key) + key.length()) + 1;
    String edited =
        payload.substring(0, at)
            + (payload.charAt(at) == '0' ? '1' : '0')
            + payload.substring(at + 1);
    env.put(
        "payload",
        java.util.Base64.getEncoder()
            .encodeToString(edited.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Path sig = dir.resolve("model.sig");
    json.writeValue(sig.toFile(), bundle);
    assertThatThrownBy(() -> verifier("v1.1.0-sigstore").check(dir, sig))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BAD_SIGNATURE))
        .hasMessageContaining("does not verify with the certificate's key");
  }
}
