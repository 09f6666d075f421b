package dev.modelseal.fuzz;

import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsAttester;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.pin.LockEntry;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the core harnesses' fixture and seed corpora with the real writers: a two-file model and a
 * fresh EC P-256 public key ({@code fixture/}), and for each harness valid inputs (a bundle and an
 * attestation of that model by that key, their envelopes and statements, a lock file, PEM keys and
 * a certificate, a metrics file, pins and requirements). Run from the module directory: {@code java
 * -cp ... dev.modelseal.fuzz.FuzzSeeds src/test/resources/dev/modelseal}. The private key is not
 * kept.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  /** Writes everything below {@code args[0]} (the resources' {@code dev/modelseal}). */
  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    Path fixture = base.resolve("fuzz/fixture");
    Path model = fixture.resolve("model");
    Files.createDirectories(model);
    Files.writeString(model.resolve("config.json"), "{\"layers\": 2}\n");
    Files.write(model.resolve("weights.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    KeyPair kp = TestPki.ec("secp256r1");
    Path tmp = Files.createTempDirectory("seeds");
    SigningKey key =
        PemFiles.readPrivateKey(TestPki.writePkcs8(tmp.resolve("key.pem"), kp.getPrivate()), null);
    Files.writeString(fixture.resolve("pub.pem"), key.verificationKey().pem());

    Path inputs = base.resolve("fuzz/TrustParserFuzzTestInputs");
    Path bundle = seed(inputs, "bundle", "key-bundle.sig");
    OmsSigner.withKey(key).signTo(model, bundle, WalkOptions.defaults());
    byte[] bundleBytes = Files.readAllBytes(bundle);
    String bundleText = new String(bundleBytes, StandardCharsets.UTF_8);
    // The envelope and the statement inside the bundle.
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundleBytes);
    Files.writeString(
        seed(inputs, "envelope", "bundle-envelope.json"), tree.get("dsseEnvelope").toString());
    byte[] payload = Base64.getDecoder().decode(tree.get("dsseEnvelope").get("payload").asText());
    Files.write(
        seed(base.resolve("oms/StatementFuzzTestInputs"), "statement", "files.json"), payload);

    Manifest m =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model));
    Manifest shards =
        ModelHasher.of(
                Serialization.shards(
                    dev.modelseal.digest.HashAlgorithm.SHA256, 4, WalkOptions.defaults()))
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model));
    ModelLock.of(List.of(new LockEntry("model", m), new LockEntry("shards/model", shards)))
        .write(seed(inputs, "lockFile", "two-entries.lock"));

    MetricsStatement s =
        new MetricsStatement(
            m.modelName(),
            m.root(),
            Serialization.defaults(),
            Optional.empty(),
            Metrics.of(Map.of("f1", new BigDecimal("0.93"), "accuracy", new BigDecimal("0.951"))),
            Optional.of(new MetricsStatement.Dataset("digits-test", m.root())));
    MetricsAttester.withKey(key).signTo(s, seed(inputs, "attestation", "metrics.json"));
    Files.write(seed(inputs, "metricsStatement", "statement.json"), s.toBytes());
    Files.copy(
        inputs.resolve("attestation/metrics.json"),
        seed(inputs, "envelope", "attestation.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        seed(inputs, "metrics", "metrics.json"), "{\"f1\": 0.93, \"accuracy\": 0.951}\n");

    Files.writeString(seed(inputs, "pem", "public.pem"), key.verificationKey().pem());
    // A private key of its own (not the fixture's signer, which is not kept).
    TestPki.writePkcs8(
        seed(inputs, "pem", "private-pkcs8.pem"), TestPki.ec("secp256r1").getPrivate());
    KeyPair ca = TestPki.ec("secp256r1");
    TestPki.writeCertificates(
        seed(inputs, "pem", "certificate.pem"), TestPki.selfSignedCa("CN=modelseal fuzz seed", ca));

    Files.writeString(seed(inputs, "pinString", "pin.txt"), m.pin().toString());
    Files.writeString(seed(inputs, "pinString", "root.txt"), m.root().toString());
    Files.writeString(seed(inputs, "pinString", "requirement.txt"), "f1>=0.9");
    Files.deleteIfExists(tmp.resolve("key.pem"));
    Files.deleteIfExists(tmp);
    System.out.println("wrote seeds below " + base + " (bundle " + bundleText.length() + " bytes)");
  }

  private static Path seed(Path inputs, String method, String name) throws Exception {
    Path dir = Files.createDirectories(inputs.resolve(method));
    return dir.resolve(name);
  }
}
