package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.scan.pickle.ImportPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's archive layouts beyond {@code torch.save}'s {@code data/}: TorchScript constants and
 * the lite interpreter's storages, torch.package archives (fixtures written by PyTorch, {@code
 * fixtures/torch/generate_torch_layouts.py}), and TorchScript classes named by the archive's own
 * code.
 */
class TorchLayoutsTest {
  @TempDir Path tmp;

  @Test
  void torchScriptConstantStorages_areTensorData() {
    for (String f : new String[] {"torch/traced_constants.pt", "torch/lite_constants.ptl"}) {
      ScanReport r = Fixtures.scan(f);
      assertThat(r.atLeast(Severity.LOW)).as(f).isEmpty();
    }
  }

  @Test
  void torchPackage_sourcesAreCodeThatRuns_storagesAreData() {
    ScanReport r = Fixtures.scan("torch/package_module.pt");
    assertThat(r.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("torch-package.source");
              assertThat(f.severity()).isEqualTo(Severity.HIGH);
              assertThat(f.location()).contains("modelseal_packaged.py");
            });
    assertThat(r.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("pickle.unknown-import");
              assertThat(f.message()).contains("modelseal_packaged.Doubler");
            });
    assertThat(r.findings()).noneMatch(f -> f.rule().equals("scan.unknown-format"));
  }

  @Test
  void wholeModules_ofPyTorchsOwnClasses_areLow_ofTheFilesOwnClasses_high() {
    ScanReport r = Fixtures.scan("torch/whole_module.pt");
    assertThat(r.atLeast(Severity.MEDIUM)).isEmpty();
    assertThat(r.findings())
        .filteredOn(f -> f.rule().equals("pickle.torch-module"))
        .extracting(Finding::message)
        .anySatisfy(m -> assertThat(m).contains("torch.nn.modules.conv.Conv2d"))
        .anySatisfy(m -> assertThat(m).contains("torch.nn.modules.linear.Linear"))
        .anySatisfy(m -> assertThat(m).contains("torch.nn.modules.container.Sequential"))
        .allSatisfy(m -> assertThat(m).contains("weights_only=False"));
    ScanReport custom = Fixtures.scan("torch/whole_custom.pt");
    assertThat(custom.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("pickle.unknown-import");
              assertThat(f.severity()).isEqualTo(Severity.HIGH);
              assertThat(f.message()).contains("__main__.Scale");
            });
    // an attribute reached through one of those classes is rated as that attribute, not as a class
    assertThat(ImportPolicy.rate("torch.nn.modules.linear", "Linear"))
        .isEqualTo(ImportRating.TORCH_MODULE);
    assertThat(ImportPolicy.rate("torch.nn.modules.linear", "Linear.__init__.__globals__"))
        .isEqualTo(ImportRating.UNKNOWN);
    assertThat(ImportPolicy.rate("torch.nn.modules.linear", "Linear.os.system"))
        .isEqualTo(ImportRating.DANGEROUS);
  }

  @Test
  void aGlobalOfTheArchivesOwnTorchScriptCode_isItsClass_butNotElsewhere() throws Exception {
    // GLOBAL 'torch.jit LoweredModule' then STOP: what a lowered (delegated) module's data.pkl
    // names
    byte[] pickle = "ctorch.jit\nLoweredModule\n.".getBytes(StandardCharsets.US_ASCII);
    Path ts = zip("ts.pt", "ts/data.pkl", pickle, "ts/code/torch/jit.py", "ts/constants.pkl");
    assertThat(ModelScanner.create().scan(ts).atLeast(Severity.LOW)).isEmpty();
    // the same pickle where no code defines the module (or no TorchScript archive): unknown
    Path plain = zip("plain.pt", "p/data.pkl", pickle, "p/code/torch/other.py", "p/constants.pkl");
    assertThat(ModelScanner.create().scan(plain).findings())
        .anySatisfy(f -> assertThat(f.rule()).isEqualTo("pickle.unknown-import"));
    // a dangerous global stays critical whatever the archive's code folder holds
    byte[] system = "cos\nsystem\n.".getBytes(StandardCharsets.US_ASCII);
    Path os = zip("os.pt", "o/data.pkl", system, "o/code/os.py", "o/constants.pkl");
    assertThat(ModelScanner.create().scan(os).findings())
        .anySatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
  }

  private Path zip(String name, String pickleName, byte[] pickle, String code, String constants)
      throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.putNextEntry(new ZipEntry(pickleName));
      z.write(pickle);
      z.putNextEntry(new ZipEntry(code));
      z.write("class LoweredModule(Module):\n  pass\n".getBytes(StandardCharsets.US_ASCII));
      z.putNextEntry(new ZipEntry(constants));
      z.write(new byte[] {(byte) 0x80, 2, ')', '.'});
    }
    return Files.write(tmp.resolve(name), b.toByteArray());
  }

  @Test
  void tensorBundleShards_areDataBesideTheirIndex_only() throws Exception {
    byte[] noise = new byte[4096];
    new java.util.Random(7).nextBytes(noise);
    Path flat = Files.createDirectories(tmp.resolve("flat"));
    Files.write(flat.resolve("variables.data-00000-of-00001"), noise);
    Files.write(flat.resolve("variables.index"), new byte[] {1, 2, 3});
    Path lone = Files.createDirectories(tmp.resolve("lone"));
    Files.write(lone.resolve("ckpt-1.data-00000-of-00001"), noise);
    assertThat(ModelScanner.create().scan(flat).findings())
        .noneMatch(f -> f.rule().equals("scan.unknown-format") && f.file().contains(".data-"));
    assertThat(ModelScanner.create().scan(lone).findings())
        .anySatisfy(f -> assertThat(f.rule()).isEqualTo("scan.unknown-format"));
    // in a zip (Spark NLP ships SavedModels so): the same rule over member names
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.putNextEntry(new ZipEntry("variables.data-00000-of-00001"));
      z.write(noise);
      z.putNextEntry(new ZipEntry("variables.index"));
      z.write(new byte[] {1, 2, 3});
    }
    Path zip = Files.write(tmp.resolve("bundle.zip"), b.toByteArray());
    assertThat(ModelScanner.create().scan(zip).findings())
        .noneMatch(f -> f.location().contains(".data-"));
  }
}
