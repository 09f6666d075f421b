package dev.modelseal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.testing.SharedVectors;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Recomputes the root digest inside every signature the Python reference made (model_signing v0.2.0
 * to v1.1.0) from the model files beside it: our hash is the reference's digest.
 */
class SharedVectorRootsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyReferenceBundleRootIsRecomputed() throws Exception {
    Path base = SharedVectors.resolve("vectors/oms/model-transparency-1.1.1");
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    List<Path> dirs;
    try (Stream<Path> s = Files.list(base)) {
      dirs = s.filter(p -> Files.isRegularFile(p.resolve("model.sig"))).sorted().toList();
    }
    assertThat(dirs).hasSize(13);
    for (Path d : dirs) {
      JsonNode statement = statementOf(d.resolve("model.sig"));
      WalkOptions walk = WalkOptions.defaults().ignoring(List.of("model.sig", "ignore-me"));
      if (statement.path("predicateType").asText().endsWith("Digests/v0.1")) {
        // v0.2.0: one subject per file, each the file's SHA-256.
        Manifest m =
            ModelHasher.of(Serialization.files(dev.modelseal.digest.HashAlgorithm.SHA256, walk))
                .hash(ModelWalker.with(walk).walk(d));
        for (JsonNode subject : statement.get("subject")) {
          String name = subject.get("name").asText();
          String want = subject.get("digest").get("sha256").asText();
          String got = m.byName().get(name).digest().hex();
          checked++;
          if (!want.equals(got)) {
            mismatches.add(d.getFileName() + "/" + name);
          }
        }
        continue;
      }
      String want = statement.get("subject").get(0).get("digest").get("sha256").asText();
      JsonNode resources = statement.get("predicate").get("resources");
      boolean singleFile =
          resources.size() == 1 && ".".equals(resources.get(0).get("name").asText());
      Path model = singleFile ? d.resolve("signme-1") : d;
      Manifest m =
          ModelHasher.of(Serialization.defaults().withWalk(walk))
              .hash(ModelWalker.with(walk).walk(model));
      checked++;
      if (!m.root().hex().equals(want)) {
        mismatches.add(d.getFileName() + ": " + m.root().hex() + " != " + want);
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(checked).isEqualTo(14);
  }

  private static JsonNode statementOf(Path sig) throws Exception {
    JsonNode bundle = JSON.readTree(Files.readAllBytes(sig));
    byte[] payload = Base64.getDecoder().decode(bundle.get("dsseEnvelope").get("payload").asText());
    return JSON.readTree(payload);
  }
}
