package dev.modelseal.scan;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The committed fixtures written by {@code fixtures/generate_scan.py}. */
final class Fixtures {
  private Fixtures() {}

  static Path of(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  static ScanReport scan(String name) {
    return ModelScanner.create().scan(of(name));
  }
}
