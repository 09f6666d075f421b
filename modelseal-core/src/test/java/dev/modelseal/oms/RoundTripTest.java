package dev.modelseal.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.testing.SharedVectors;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.WalkOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our own bundles: sign then verify, schema-valid, deterministic, checkable by OpenSSL. */
class RoundTripTest {
  @TempDir Path tmp;

  static Path model(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("weights/layer.0"));
    Files.createDirectories(dir.resolve(".git/objects"));
    Files.writeString(dir.resolve("config.json"), "{\"hidden\": 4}");
    Files.write(dir.resolve("weights/layer.0/w.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff});
    Files.writeString(dir.resolve("weights/modèle-权重.txt"), "non-ascii name");
    Files.writeString(dir.resolve(".hidden"), "dotfiles are part of the model");
    Files.writeString(dir.resolve("empty"), "");
    Files.writeString(dir.resolve(".git/objects/x"), "excluded");
    return dir;
  }

  static Stream<Arguments> keys() throws Exception {
    return Stream.of(
        Arguments.of("P-256", TestPki.ec("secp256r1")),
        Arguments.of("P-384", TestPki.ec("secp384r1")),
        Arguments.of("P-521", TestPki.ec("secp521r1")),
        Arguments.of("Ed25519", TestPki.ed25519()),
        Arguments.of("RSA-3072", TestPki.rsa(3072)));
  }

  SigningKey signingKey(KeyPair kp) throws Exception {
    return PemFiles.readPrivateKey(
        TestPki.writePkcs8(tmp.resolve("key.pem"), kp.getPrivate()), null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void signThenVerify_keyMethod_verifiesAndHandsOutTheBytes(String name, KeyPair kp)
      throws Exception {
    Path m = model(tmp.resolve("model"));
    Path sig = OmsSigner.withKey(signingKey(kp)).signTo(m, null, WalkOptions.defaults());
    assertThat(sig).isEqualTo(m.resolve("model.sig"));
    VerificationKey pub =
        PemFiles.readPublicKey(TestPki.writePublic(tmp.resolve("pub.pem"), kp.getPublic()));
    OmsVerifier v = OmsVerifier.withPublicKey(pub);
    Manifest checked = v.check(m, null);
    assertThat(checked.resources())
        .extracting(r -> r.name())
        .containsExactly(
            ".hidden", "config.json", "empty", "weights/layer.0/w.bin", "weights/modèle-权重.txt");
    try (VerifiedModel vm = v.open(m, null)) {
      assertThat(vm.readAllBytes("weights/layer.0/w.bin")).containsExactly(0, 1, 2, 3, 0xff);
    }
    assertSchemaValid(Files.readAllBytes(sig));
  }

  @Test
  void signThenVerify_certificateChain_verifiesWithRootAnchor() throws Exception {
    KeyPair root = TestPki.rsa(3072);
    KeyPair inter = TestPki.ec("secp384r1");
    KeyPair leaf = TestPki.ec("secp256r1");
    X509Certificate rootCert = TestPki.selfSignedCa("root", root);
    X509Certificate interCert =
        TestPki.intermediate("inter", inter.getPublic(), "root", root.getPrivate());
    X509Certificate leafCert =
        TestPki.leaf("signer", leaf.getPublic(), "inter", inter.getPrivate());
    Path m = model(tmp.resolve("model"));
    SigningKey key = signingKey(leaf);
    for (List<X509Certificate> chain :
        List.of(List.of(leafCert, interCert), List.of(leafCert, interCert, rootCert))) {
      Path sig = tmp.resolve("chain" + chain.size() + ".sig");
      OmsSigner.withCertificates(key, chain).signTo(m, sig, WalkOptions.defaults());
      assertSchemaValid(Files.readAllBytes(sig));
      Manifest checked = OmsVerifier.withTrustAnchors(List.of(rootCert)).check(m, sig);
      assertThat(checked.resources()).hasSize(5);
    }
  }

  @Test
  void signThenVerify_singleFile_signatureBesideIt() throws Exception {
    Path f = tmp.resolve("model.onnx");
    Files.writeString(f, "onnx bytes");
    KeyPair kp = TestPki.ec("secp256r1");
    Path sig = OmsSigner.withKey(signingKey(kp)).signTo(f, null, WalkOptions.defaults());
    assertThat(sig.getFileName().toString()).isEqualTo("model.onnx.sig");
    try (VerifiedModel vm =
        OmsVerifier.withPublicKey(VerificationKey.of(kp.getPublic())).open(f, null)) {
      assertThat(vm.readAllBytes()).isEqualTo("onnx bytes".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void sign_sameModelTwice_sameStatementBytes() throws Exception {
    Path m = model(tmp.resolve("model"));
    SigningKey key = signingKey(TestPki.ec("secp256r1"));
    OmsSigner s = OmsSigner.withKey(key);
    WalkOptions w1 = WalkOptions.defaults().ignoring(List.of("b", "a"));
    WalkOptions w2 = WalkOptions.defaults().ignoring(List.of("a", "b"));
    byte[] p1 = s.sign(m, w1).envelope().payload();
    byte[] p2 = s.sign(m, w2).envelope().payload();
    assertThat(p1).isEqualTo(p2);
    String text = new String(p1, StandardCharsets.UTF_8);
    assertThat(text).contains("\"ignore_paths\":[\".git\",\".gitattributes\",\".github\"");
  }

  @Test
  void signature_checkedByOpenSsl_overOurPae() throws Exception {
    assumeTrue(openSslPresent(), "openssl not installed");
    Path m = model(tmp.resolve("model"));
    for (String curve : List.of("secp256r1", "secp384r1")) {
      KeyPair kp = TestPki.ec(curve);
      OmsBundle b = OmsSigner.withKey(signingKey(kp)).sign(m, WalkOptions.defaults());
      Path pae = Files.write(tmp.resolve("pae.bin"), b.envelope().pae());
      Path sig = Files.write(tmp.resolve("sig.der"), b.envelope().signatures().get(0).sig());
      Path pub = TestPki.writePublic(tmp.resolve("pub.pem"), kp.getPublic());
      String digest = curve.equals("secp256r1") ? "-sha256" : "-sha384";
      Process p =
          new ProcessBuilder(
                  "openssl",
                  "dgst",
                  digest,
                  "-verify",
                  pub.toString(),
                  "-signature",
                  sig.toString(),
                  pae.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(out.trim()).isEqualTo("Verified OK");
      assertThat(p.exitValue()).isZero();
    }
  }

  static boolean openSslPresent() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Validates a bundle and its statement against the OMS spec's JSON Schemas. */
  static void assertSchemaValid(byte[] bundle) throws Exception {
    Path schemas = SharedVectors.omsSpec().resolve("schemas");
    Map<String, String> map = new HashMap<>();
    for (String n : List.of("bundle", "envelope", "predicate", "statement")) {
      map.put(
          "https://model_signing/" + n + "/v1.0/schema",
          schemas.resolve(n + ".schema.json").toUri().toString());
    }
    JsonSchemaFactory f =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(sm -> sm.mappings(map)));
    ObjectMapper om = new ObjectMapper();
    JsonNode node = om.readTree(bundle);
    JsonSchema bundleSchema =
        f.getSchema(SchemaLocation.of("https://model_signing/bundle/v1.0/schema"));
    Set<ValidationMessage> errors = bundleSchema.validate(node);
    assertThat(errors).isEmpty();
    byte[] payload =
        java.util.Base64.getDecoder().decode(node.get("dsseEnvelope").get("payload").asText());
    JsonSchema statementSchema =
        f.getSchema(SchemaLocation.of("https://model_signing/statement/v1.0/schema"));
    assertThat(statementSchema.validate(om.readTree(payload))).isEmpty();
    // The schema check is not vacuous: a bad predicate type is caught.
    JsonNode bad = om.readTree(payload);
    ((com.fasterxml.jackson.databind.node.ObjectNode) bad).put("predicateType", "x");
    assertThat(statementSchema.validate(bad)).isNotEmpty();
  }
}
