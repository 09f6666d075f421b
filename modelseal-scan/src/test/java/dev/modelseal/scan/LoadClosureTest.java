package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.attest.ScanStatement;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.scan.attest.ScanAttester;
import dev.modelseal.scan.closure.LoadClosure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load-time closure on configs written by transformers and peft (generate_closure.py) and a
 * diffusers model_index.json in diffusers' layout.
 */
class LoadClosureTest {
  @TempDir Path dir;

  private static Path closure(String name) {
    return Fixtures.of("closure/" + name);
  }

  private static List<Finding> findings(String name, String rule) {
    return ModelScanner.create().scan(closure(name)).findings().stream()
        .filter(f -> f.rule().equals(rule))
        .toList();
  }

  @Test
  void autoMap_reportsEachClassAtHigh_withTheImportsOfItsFile() {
    List<Finding> f = findings("remote_code", "load.remote-code");
    assertThat(f).hasSize(2).allMatch(x -> x.severity() == Severity.HIGH);
    Finding model =
        f.stream().filter(x -> x.location().equals("auto_map.AutoModel")).findFirst().orElseThrow();
    assertThat(model.message())
        .contains("modeling_tiny.TinyModel from modeling_tiny.py")
        .contains(
            "imports: math, os, subprocess, torch, torch, transformers, .configuration_tiny"
                .replace("torch, torch", "torch"));
  }

  @Test
  void autoMap_toAnotherRepository_isAFetchedDependency() throws Exception {
    Path cfg = dir.resolve("config.json");
    Files.writeString(
        cfg,
        "{\"auto_map\": {\"AutoModel\": \"other-org/code--modeling_x.XModel\"},"
            + " \"trust_remote_code\": true}");
    List<Finding> f =
        ModelScanner.create().scan(dir).findings().stream()
            .filter(x -> x.rule().equals("load.remote-code"))
            .toList();
    assertThat(f).hasSize(2);
    assertThat(f.get(0).message() + f.get(1).message())
        .contains("another repository")
        .contains("trust_remote_code=True");
    List<Map.Entry<String, LoadClosure.Dependency>> deps =
        LoadClosure.dependencies(dir, List.of("config.json"));
    assertThat(deps).hasSize(1);
    assertThat(deps.get(0).getValue().name()).isEqualTo("other-org/code");
    assertThat(deps.get(0).getValue().fetched()).isTrue();
  }

  @Test
  void adapters_nameTheirBaseModel_pinnedOrNot() {
    assertThat(findings("adapter_loose", "load.base-model"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.severity()).isEqualTo(Severity.INFO);
              assertThat(x.message()).contains("example-org/base-model (no revision pinned)");
            });
    var pinned =
        LoadClosure.dependencies(closure("adapter_pinned"), List.of("adapter_config.json"));
    assertThat(pinned)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValue().revision())
                  .isEqualTo("0123456789abcdef0123456789abcdef01234567");
              assertThat(e.getValue().field()).isEqualTo("base_model_name_or_path");
            });
    // Nothing at low or above: a base model is a dependency, not code.
    assertThat(ModelScanner.create().scan(closure("adapter_pinned")).atLeast(Severity.LOW))
        .isEmpty();
  }

  @Test
  void diffusers_customComponent_isReportedWithItsFile() {
    assertThat(findings("diffusers_custom", "load.remote-code"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.location()).isEqualTo("unet");
              assertThat(x.message())
                  .contains("my_unet.MyUNet2DConditionModel from unet/my_unet.py")
                  .contains("imports: torch, diffusers");
            });
  }

  @Test
  void hostileNames_neverLeaveTheDirectory() throws Exception {
    Files.writeString(
        dir.resolve("config.json"), "{\"auto_map\": {\"AutoModel\": \"..x/../../etc.passwd.X\"}}");
    Finding f =
        ModelScanner.create().scan(dir).findings().stream()
            .filter(x -> x.rule().equals("load.remote-code"))
            .findFirst()
            .orElseThrow();
    assertThat(f.message()).doesNotContain("imports").doesNotContain(" from ");
  }

  @Test
  void scanAttester_statesWhatTheScannerFoundInTheVerifiedCopy() throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    try (Stream<Path> s = Files.list(closure("remote_code"))) {
      for (Path p : s.toList()) {
        Files.copy(p, model.resolve(p.getFileName()));
      }
    }
    Files.copy(
        closure("adapter_loose").resolve("adapter_config.json"),
        model.resolve("adapter_config.json"));
    ScanAttester.Result r =
        ScanAttester.create(ModelScanner.create(), vm -> Optional.empty())
            .scan(model, Serialization.defaults());
    ScanStatement st = r.statement();
    assertThat(st.worst()).isEqualTo("high");
    assertThat(st.findingCount()).isEqualTo(r.report().findings().size());
    assertThat(st.findings())
        .extracting(ScanStatement.Finding::file)
        .allMatch(x -> x.startsWith("model/"));
    assertThat(st.dependencies()).singleElement().satisfies(d -> assertThat(d.pinned()).isFalse());
    Digest rules = ScanAttester.rulesDigest();
    assertThat(ScanAttester.rulesDigest()).isEqualTo(rules);
    assertThat(st.rules()).isEqualTo(rules);
    assertThat(ScanStatement.parse(st.toBytes())).isEqualTo(st);
  }
}
