package dev.modelseal.scan.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.keras.KerasModelConfig;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * HDF5 files, as Keras writes them: the {@code model_config} and {@code training_config} root
 * attributes are inspected by {@link KerasConfigInspector} (location {@code attribute
 * 'model_config'}). A weights-only file has neither, and nothing to report. Rule ids: those of the
 * inspector, {@code keras.malformed} (medium) when the file or a configuration cannot be read.
 */
public final class KerasHdf5Rule implements FormatRule {

  @Override
  public String format() {
    return "hdf5";
  }

  @Override
  public boolean claims(Content c) {
    return FormatSniff.is(Format.KERAS_H5, c);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    KerasModelConfig.Configs configs;
    try {
      configs = KerasModelConfig.readAll(file);
    } catch (ModelsealException e) {
      ctx.finding(c, "keras.malformed", Severity.MEDIUM, "", "HDF5 file unreadable: " + e.reason());
      return;
    }
    inspect(c, ctx, "attribute 'model_config'", configs.model());
    inspect(c, ctx, "attribute 'training_config'", configs.training());
  }

  private static void inspect(Content c, ScanContext ctx, String where, Optional<String> json) {
    if (json.isEmpty()) {
      return;
    }
    JsonNode root;
    try {
      root = StrictJson.parseObject(json.get().getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      ctx.finding(c, "keras.malformed", Severity.MEDIUM, where, e.getMessage());
      return;
    }
    KerasConfigInspector.inspect(root, c, ctx, where);
  }
}
