package dev.modelseal.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelseal.ModelsealException;
import dev.modelseal.policy.ModelPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --policy FILE} of {@code verify} and {@code pull} (and the file of {@code policy check}):
 * a deploy policy ({@link ModelPolicy}) in JSON, or in YAML when the name ends in {@code .yaml} or
 * {@code .yml} (read into the same tree: duplicate keys refused, at most {@link
 * ModelPolicy#MAX_BYTES}, no object binding, the YAML parser's alias and size limits on).
 */
final class PolicyOption {
  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "A deploy policy (JSON or YAML, docs/deploy.md): the rule covering the model's source"
              + " says whom to trust (or its pin), the scan level and the attestations required;"
              + " instead of the trust options.")
  Path file;

  /** Whether {@code --policy} was given. */
  boolean given() {
    return file != null;
  }

  /** Reads and checks the policy file. */
  static ModelPolicy read(Path file) throws ModelsealException {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
      return ModelPolicy.read(file);
    }
    return ModelPolicy.read(file, "YAML policy", PolicyOption::yamlTree);
  }

  /** The YAML document as a tree; the parser's message cut to its first line and escaped. */
  private static JsonNode yamlTree(byte[] bytes) throws IOException {
    try {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
      yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      return yaml.readTree(bytes);
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      int nl = m.indexOf('\n');
      throw new IOException(Printable.of(nl > 0 ? m.substring(0, nl) : m), e);
    }
  }
}
