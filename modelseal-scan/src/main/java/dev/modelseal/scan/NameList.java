package dev.modelseal.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A generated list of names shipped in the jar with the rules ({@code rules/tf-ops.txt}, {@code
 * rules/tfjs-ops.txt}, {@code rules/keras-objects.txt}, {@code rules/onnx-ops.txt}, {@code
 * rules/torch-nn-modules.txt}): one name a line, {@code #} comments and blank lines ignored,
 * surrounding white space trimmed. A missing list is a broken build and fails loudly.
 */
public final class NameList {
  private NameList() {}

  /**
   * The names of resource {@code name}, relative to this package ({@code rules/tf-ops.txt}).
   *
   * @throws IllegalStateException if the jar lacks it
   */
  public static Set<String> load(String name) {
    Set<String> names = new HashSet<>();
    try (InputStream in = NameList.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the modelseal-scan jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("#")) {
          names.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(names);
  }
}
