package dev.modelseal.attest;

import static dev.modelseal.testing.TempModels.bytes;
import static dev.modelseal.testing.TempModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scan and evaluation attestations, requirements, and the claims collection. */
class EvidenceTest {
  @TempDir Path dir;
  Path model;
  SigningKey key;
  VerificationKey pub;
  Manifest manifest;

  @BeforeEach
  void setUp() throws Exception {
    model = dir.resolve("m");
    write(model, "model.onnx", bytes(2000, 7));
    write(model, "config.json", "{}");
    key =
        PemFiles.readPrivateKey(
            TestPki.writePkcs8(dir.resolve("key.pem"), TestPki.ec("secp256r1").getPrivate()), null);
    pub = key.verificationKey();
    manifest = hash(Serialization.defaults());
  }

  private Manifest hash(Serialization s) throws Exception {
    return ModelHasher.of(s).hash(ModelWalker.with(s.walk()).walk(model));
  }

  private ScanStatement scan(Manifest m, String worst, List<ScanStatement.Dependency> deps) {
    List<ScanStatement.Finding> f =
        worst.equals("none")
            ? List.of()
            : List.of(new ScanStatement.Finding("r.x", worst, "m/model.onnx", "", "found \u0007"));
    return new ScanStatement(
        m.modelName(),
        m.root(),
        m.pin(),
        m.serialization(),
        Optional.empty(),
        "1.0",
        Digest.sha256(new byte[32]),
        worst,
        true,
        f.size(),
        f,
        deps);
  }

  private Path signed(AttestationStatement s, String name) throws Exception {
    Path p = dir.resolve(name);
    MetricsAttester.withKey(key).signTo(s, p);
    return p;
  }

  private EvalStatement eval(Manifest m) {
    Metrics metrics = Metrics.of(Map.of("f1", new BigDecimal("0.93")));
    return new EvalStatement(
        new EvalStatement.StatementModel(
            m.modelName(), m.root(), Optional.of(m.pin()), m.serialization(), Optional.empty()),
        metrics,
        new MetricsStatement.Dataset("digits-test", Digest.sha256(new byte[32])),
        List.of(EvalStatement.Claim.of(MetricRequirement.parse("f1>=0.9"), metrics)),
        "digits",
        "1",
        360,
        Instant.parse("2026-12-02T12:00:00Z"),
        "https://modelseal.dev/attest",
        "self_attested");
  }

  @Test
  void scanStatement_roundTripsAndEscapesControlCharacters() {
    ScanStatement s = scan(manifest, "high", List.of());
    byte[] b = s.toBytes();
    assertThat(new String(b, StandardCharsets.UTF_8)).contains("\\u0007").doesNotContain("\u0007");
    assertThat(ScanStatement.parse(b)).isEqualTo(s);
    assertThat(AttestationStatement.parse(b)).isInstanceOf(ScanStatement.class);
  }

  @Test
  void scanRequirement_passesAtOrBelowAndFailsAbove() throws Exception {
    Path low = signed(scan(manifest, "low", List.of()), "low.att");
    Path high = signed(scan(manifest, "high", List.of()), "high.att");
    AttestationVerifier v =
        AttestationVerifier.withPublicKey(pub).requiring(List.of(Requirement.parse("scan<=low")));
    assertThat(v.check(model, low).statement()).isInstanceOf(ScanStatement.class);
    assertThatThrownBy(() -> v.check(model, high))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("worst severity is high, required scan<=low");
    // A metric requirement does not apply to a scan attestation: refused, not ignored.
    assertThatThrownBy(
            () ->
                AttestationVerifier.withPublicKey(pub)
                    .requiring(List.of(Requirement.parse("f1>=0.9")))
                    .check(model, low))
        .hasMessageContaining("records no metrics");
  }

  @Test
  void scanAttestation_failsWhenTheModelChangesOrTheKeyIsWrong() throws Exception {
    Path att = signed(scan(manifest, "none", List.of()), "s.att");
    VerificationKey other =
        PemFiles.readPrivateKey(
                TestPki.writePkcs8(dir.resolve("k2.pem"), TestPki.ec("secp256r1").getPrivate()),
                null)
            .verificationKey();
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(other).check(model, att))
        .satisfies(
            t ->
                assertThat(((AttestationException) t).failure())
                    .isEqualTo(AttestationException.Failure.BAD_SIGNATURE));
    // Renaming a file keeps the OMS root order here but not the pin a scan attestation records.
    Files.move(model.resolve("config.json"), model.resolve("config2.json"));
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(pub).check(model, att))
        .satisfies(
            t ->
                assertThat(((AttestationException) t).failure())
                    .isEqualTo(AttestationException.Failure.MODEL_MISMATCH));
  }

  @Test
  void scanStatement_refusesAWorstBelowAListedFinding() {
    String json =
        new String(scan(manifest, "high", List.of()).toBytes(), StandardCharsets.UTF_8)
            .replace("\"worst\":\"high\"", "\"worst\":\"low\"");
    assertThatThrownBy(() -> ScanStatement.parse(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("worse than predicate.result.worst");
  }

  @Test
  void dependencyRequirement_needsACommitHashForFetchedModels() {
    var loose =
        new ScanStatement.Dependency("meta/llama", "main", "adapter_config.json", "b", true);
    var pinned =
        new ScanStatement.Dependency(
            "meta/llama", "0123456789abcdef0123456789abcdef01234567", "a", "b", true);
    var recorded = new ScanStatement.Dependency("bert-base", "", "config.json", "n", false);
    Requirement r = Requirement.parse("dependencies==pinned");
    assertThat(r.check(scan(manifest, "none", List.of(pinned, recorded)))).isNull();
    assertThat(r.check(scan(manifest, "none", List.of(loose)))).contains("meta/llama");
  }

  @Test
  void evalStatement_mapsToEvalResultAndRecomputesPassed() {
    EvalStatement e = eval(manifest);
    String json = new String(e.toBytes(), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"predicateType\":\"https://in-toto.io/attestation/eval-result/v0.1\"")
        .contains("\"claims\":[{\"metric\":\"f1\",\"comparator\":\">=\",\"threshold\":\"0.9\"")
        .contains("\"subjectProfile\":\"public-model\"")
        .contains("\"salted\":false");
    assertThat(EvalStatement.parse(e.toBytes())).isEqualTo(e);
    String lie = json.replace("\"passed\":true", "\"passed\":false");
    assertThatThrownBy(() -> EvalStatement.parse(lie.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("disagrees");
  }

  @Test
  void claims_allVerifiedInOnePass_andEachReported() throws Exception {
    Path claims = dir.resolve("claims.jsonl");
    Path sig =
        OmsSigner.withKey(key).signTo(model, dir.resolve("model.sig"), WalkOptions.defaults());
    ClaimsFile.append(claims, ClaimsFile.compact(Files.readAllBytes(sig)));
    ClaimsFile.append(claims, ClaimsFile.compact(Files.readAllBytes(signed(eval(manifest), "e"))));
    ClaimsFile.append(
        claims,
        ClaimsFile.compact(Files.readAllBytes(signed(scan(manifest, "low", List.of()), "s"))));
    ClaimsReport r =
        ClaimsVerifier.withPublicKey(pub)
            .requiring(List.of(Requirement.parse("scan<=low"), Requirement.parse("f1>=0.9")))
            .verify(model, claims);
    assertThat(r.claims())
        .extracting(ClaimResult::kind)
        .containsExactly("signature", "attestation", "attestation");
    assertThat(r.verified()).as(r.unmetRequirements().toString()).isTrue();

    ClaimsReport strict =
        ClaimsVerifier.withPublicKey(pub)
            .requiring(List.of(Requirement.parse("scan<=info"), Requirement.parse("acc>=0.5")))
            .verify(model, claims);
    assertThat(strict.verified()).isFalse();
    assertThat(strict.unmetRequirements()).hasSize(2);

    // A changed model fails every claim; a garbage line is reported, not skipped.
    Files.writeString(claims, Files.readString(claims) + "{\"x\":1}\n");
    write(model, "config.json", "{\"a\":1}");
    ClaimsReport changed = ClaimsVerifier.withPublicKey(pub).verify(model, claims);
    assertThat(changed.verified()).isFalse();
    assertThat(changed.claims())
        .extracting(c -> c.failure().orElse("ok"))
        .containsExactly("MODEL_MISMATCH", "MODEL_MISMATCH", "MODEL_MISMATCH", "MALFORMED");
  }

  @Test
  void claimsFile_isBoundedAndAppendsAtomicallyUnderConcurrency() throws Exception {
    Path claims = dir.resolve("c.jsonl");
    assertThatThrownBy(() -> ClaimsFile.append(claims, "{\n}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidInputException.class);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] line = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        fs.add(
            pool.submit(
                () -> {
                  ClaimsFile.append(claims, line);
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<ClaimsFile.Line> lines = ClaimsFile.read(claims);
    assertThat(lines).hasSize(40);
    for (ClaimsFile.Line l : lines) {
      assertThat(StrictJson.parseObject(l.bytes()).has("n")).isTrue();
    }
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= ClaimsFile.MAX_LINES; i++) {
      many.append("{}\n");
    }
    Files.writeString(claims, many);
    assertThatThrownBy(() -> ClaimsFile.read(claims)).hasMessageContaining("more than 1024");
  }
}
