package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestCommandTest {
  @TempDir Path dir;
  Path model;
  Path key;
  Path pub;

  @BeforeEach
  void setUp() throws Exception {
    model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("w.bin"), "weights");
    TestKeys keys = TestKeys.ecP256(dir);
    key = keys.key();
    pub = keys.pub();
    Files.writeString(dir.resolve("metrics.json"), "{\"f1\": 0.93, \"accuracy\": 0.95}");
  }

  private CliRun attest() {
    return CliRun.of(
        "attest",
        model.toString(),
        "--metrics",
        dir.resolve("metrics.json").toString(),
        "--dataset-digest",
        "sha256:" + "ab".repeat(32),
        "--key",
        key.toString(),
        "-o",
        dir.resolve("att.json").toString());
  }

  private CliRun verify(String... require) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "verify",
                model.toString(),
                "--attestation",
                dir.resolve("att.json").toString(),
                "--public-key",
                pub.toString()));
    for (String r : require) {
      args.add("--require");
      args.add(r);
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void attestThenVerify_requirementsDecideTheExitCode() {
    CliRun a = attest();
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).contains("f1 = 0.93");
    assertThat(verify("f1>=0.90").code()).isZero();
    CliRun miss = verify("f1>=0.95");
    assertThat(miss.code()).isEqualTo(1);
    assertThat(miss.out()).contains("NOT VERIFIED", "f1 is 0.93, required f1>=0.95");
  }

  @Test
  void modelReplacedAfterAttestation_exit1() throws Exception {
    attest();
    Files.writeString(model.resolve("w.bin"), "retrained");
    CliRun r = verify("f1>=0.90");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("not the attested one");
  }

  @Test
  void editedMetricsClaim_exit1() throws Exception {
    attest();
    Path att = dir.resolve("att.json");
    String json = Files.readString(att);
    int i = json.indexOf("\"payload\"");
    int start = json.indexOf('"', json.indexOf(':', i)) + 1;
    int end = json.indexOf('"', start);
    String payload = new String(Base64.getDecoder().decode(json.substring(start, end)));
    String forged =
        Base64.getEncoder()
            .encodeToString(payload.replace("\"f1\":0.93", "\"f1\":0.99").getBytes());
    Files.writeString(att, json.substring(0, start) + forged + json.substring(end));
    CliRun r = verify("f1>=0.95");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("signature does not verify");
  }

  @Test
  void usageErrors_exit2() {
    attest();
    assertThat(verify("f1=>0.9").code()).isEqualTo(2);
    CliRun noAtt =
        CliRun.of("verify", model.toString(), "--public-key", pub.toString(), "--require", "f1>=1");
    assertThat(noAtt.code()).isEqualTo(2);
    assertThat(noAtt.err()).contains("--require needs --attestation");
    CliRun missingMetrics =
        CliRun.of(
            "attest",
            model.toString(),
            "--metrics",
            dir.resolve("nope.json").toString(),
            "--key",
            key.toString(),
            "-o",
            dir.resolve("x.json").toString());
    assertThat(missingMetrics.code()).isEqualTo(2);
    assertThat(missingMetrics.err()).contains("nope.json: no such file or directory");
  }
}
