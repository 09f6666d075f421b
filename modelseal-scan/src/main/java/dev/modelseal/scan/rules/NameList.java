package dev.modelseal.scan.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A generated list of names shipped in the jar next to the rules ({@code tf-ops.txt}, {@code
 * tfjs-ops.txt}, {@code keras-objects.txt}, {@code onnx-ops.txt}): one name a line, {@code #}
 * comments and blank lines ignored, surrounding white space trimmed. A missing list is a broken
 * build and fails loudly.
 */
final class NameList {
  private NameList() {}

  /** The names of resource {@code name} (beside this class). */
  static Set<String> load(String name) {
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
