package dev.modelseal.scan.rules;

import dev.modelseal.scan.FormatRule;
import java.util.List;

/**
 * The rules every {@link dev.modelseal.scan.ModelScanner} starts from, in the order they are tried.
 */
public final class BuiltinRules {
  private BuiltinRules() {}

  /** Rules that inspect a format, tried first. */
  public static List<FormatRule> inspecting() {
    return List.of(
        new ZipRule(),
        new CompressedRule(),
        new NpyRule(),
        new GgufRule(),
        new SafetensorsRule(),
        new SavedModelRule(),
        new SavedModelTextRule(),
        new OnnxRule(),
        new TfliteRule(),
        new KerasHdf5Rule(),
        new JsonConfigRule(),
        new ContainerRule(),
        new PickleRule());
  }
}
