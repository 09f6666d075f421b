package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scan --attest, attest/sign --append, verify --claims and bom, end to end in process. */
class EvidenceCommandTest {
  /** A protocol-2 pickle calling os.system (the scanner rates it critical). */
  static final byte[] SYSTEM_PICKLE = {
    (byte) 0x80,
    2,
    'c',
    'o',
    's',
    '\n',
    's',
    'y',
    's',
    't',
    'e',
    'm',
    '\n',
    'X',
    2,
    0,
    0,
    0,
    'i',
    'd',
    (byte) 0x85,
    'R',
    '.'
  };

  @TempDir Path dir;
  Path model;
  Path key;
  Path pub;

  @BeforeEach
  void setUp() throws Exception {
    model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("notes.txt"), "weights");
    Files.writeString(
        model.resolve("adapter_config.json"),
        "{\"base_model_name_or_path\": \"example-org/base\", \"revision\": null,"
            + " \"peft_type\": \"LORA\"}");
    TestKeys keys = TestKeys.ecP256(dir);
    key = keys.key();
    pub = keys.pub();
    Files.writeString(dir.resolve("metrics.json"), "{\"f1\": 0.93}");
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private CliRun scanAttest(String... more) {
    List<String> a =
        new ArrayList<>(List.of("scan", model.toString(), "--attest", "--key", key.toString()));
    a.addAll(List.of(more));
    return run(a.toArray(String[]::new));
  }

  private CliRun verifyAtt(Path att, String... require) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "verify",
                model.toString(),
                "--attestation",
                att.toString(),
                "--public-key",
                pub.toString()));
    for (String r : require) {
      a.add("--require");
      a.add(r);
    }
    return run(a.toArray(String[]::new));
  }

  @Test
  void scanAttestation_cleanModelMeetsScanLow_payloadModelDoesNot() throws Exception {
    Path att = dir.resolve("scan.att");
    CliRun s = scanAttest("-o", att.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.err()).contains("worst info");
    assertThat(verifyAtt(att, "scan<=low").code()).isZero();
    CliRun deps = verifyAtt(att, "dependencies==pinned");
    assertThat(deps.code()).isEqualTo(1);
    assertThat(deps.out()).contains("example-org/base");

    Files.write(model.resolve("evil.pkl"), SYSTEM_PICKLE);
    // The old attestation no longer fits the model.
    CliRun changed = verifyAtt(att, "scan<=low");
    assertThat(changed.code()).isEqualTo(1);
    assertThat(changed.out()).contains("not the attested one");
    // A fresh one records the critical finding: exit 1 from scan (--fail-on medium) and from
    // verify.
    Path att2 = dir.resolve("scan2.att");
    assertThat(scanAttest("-o", att2.toString()).code()).isEqualTo(1);
    CliRun bad = verifyAtt(att2, "scan<=low");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("worst severity is critical");
    // Another key: a bad signature.
    Path otherPub = TestKeys.ecP256(Files.createDirectories(dir.resolve("other"))).pub();
    CliRun wrong =
        run(
            "verify",
            model.toString(),
            "--attestation",
            att2.toString(),
            "--public-key",
            otherPub.toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.out()).contains("does not verify");
  }

  @Test
  void claims_signatureAttestationsAndScan_inOnePass_claimsFileInsideTheModel() throws Exception {
    Path claims = model.resolve("claims.jsonl");
    CliRun sign =
        run(
            "sign",
            model.toString(),
            "--key",
            key.toString(),
            "-o",
            dir.resolve("model.sig").toString(),
            "--append",
            claims.toString());
    assertThat(sign.code()).as(sign.err()).isZero();
    CliRun att =
        run(
            "attest",
            model.toString(),
            "--metrics",
            dir.resolve("metrics.json").toString(),
            "--dataset-digest",
            "sha256:" + "ab".repeat(32),
            "--suite",
            "digits",
            "--sample-size",
            "360",
            "--claim",
            "f1>=0.9",
            "--key",
            key.toString(),
            "--append",
            claims.toString());
    assertThat(att.code()).as(att.err()).isZero();
    assertThat(scanAttest("--append", claims.toString()).code()).isZero();
    assertThat(Files.readAllLines(claims)).hasSize(3);

    CliRun v =
        run(
            "verify",
            model.toString(),
            "--claims",
            claims.toString(),
            "--public-key",
            pub.toString(),
            "--require",
            "scan<=low",
            "--require",
            "f1>=0.9",
            "--json");
    assertThat(v.code()).as(v.out() + v.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(v.out());
    assertThat(j.path("verified").asBoolean()).isTrue();
    assertThat(j.path("results")).hasSize(3);
    assertThat(j.path("results").get(1).path("predicateType").asText())
        .isEqualTo("https://in-toto.io/attestation/eval-result/v0.1");

    CliRun strict =
        run(
            "verify",
            model.toString(),
            "--claims",
            claims.toString(),
            "--public-key",
            pub.toString(),
            "--require",
            "f1>=0.95");
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.out()).contains("requirement not met");

    Files.writeString(model.resolve("notes.txt"), "retrained");
    CliRun changed =
        run(
            "verify",
            model.toString(),
            "--claims",
            claims.toString(),
            "--public-key",
            pub.toString());
    assertThat(changed.code()).isEqualTo(1);
    assertThat(changed.out()).contains("NOT VERIFIED line 1", "NOT VERIFIED line 3");
  }

  @Test
  void bom_isValidCycloneDx16_andRecordsTheClaims() throws Exception {
    Path claims = dir.resolve("claims.jsonl");
    assertThat(scanAttest("--append", claims.toString()).code()).isZero();
    Path bom = dir.resolve("bom.json");
    CliRun b =
        run(
            "bom",
            model.toString(),
            "-o",
            bom.toString(),
            "--claims",
            claims.toString(),
            "--public-key",
            pub.toString());
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(new JsonParser().validate(Files.readAllBytes(bom), Version.VERSION_16)).isEmpty();
    String text = Files.readString(bom);
    assertThat(text)
        .contains("\"machine-learning-model\"", "modelseal:claims:verified", "example-org/base");
    CliRun spdx = run("bom", model.toString(), "--format", "spdx");
    assertThat(spdx.code()).isEqualTo(2);
    assertThat(spdx.err()).contains("not available");
  }
}
