package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.tflite.TfliteFile;
import dev.modelseal.formats.tflite.TfliteOperatorCode;
import dev.modelseal.formats.tflite.TfliteReader;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * TFLite flatbuffers: every custom operator code. Rule ids: {@code tflite.custom-op} (high: the
 * application must register native code for it), {@code tflite.flex-op} (a TensorFlow op run by the
 * Flex delegate, rated like a SavedModel op: critical for Python ops, high for file or network ops,
 * medium otherwise), {@code tflite.malformed} (medium).
 */
public final class TfliteRule implements FormatRule {
  private static final String FLEX = "Flex";

  @Override
  public String format() {
    return "tflite";
  }

  @Override
  public boolean claims(Content c) {
    return FormatSniff.is(Format.TFLITE, c);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    TfliteFile model;
    try {
      model = TfliteReader.read(file, ReadLimits.defaults());
    } catch (ModelsealException e) {
      ctx.finding(
          c, "tflite.malformed", Severity.MEDIUM, "", "TFLite reader refuses it: " + e.reason());
      return;
    }
    List<TfliteOperatorCode> codes = model.operatorCodes();
    for (int i = 0; i < codes.size(); i++) {
      TfliteOperatorCode code = codes.get(i);
      if (!code.isCustom()) {
        continue;
      }
      String name = code.customCode() == null ? "" : code.customCode();
      String where = "operator code " + i;
      if (name.startsWith(FLEX) && name.length() > FLEX.length()) {
        String op = name.substring(FLEX.length());
        switch (TensorFlowOps.classify(op, Set.of())) {
          case PYTHON ->
              ctx.finding(
                  c,
                  "tflite.flex-op",
                  Severity.CRITICAL,
                  where,
                  "Flex op " + op + " runs a Python function");
          case FILE_OR_NETWORK ->
              ctx.finding(
                  c,
                  "tflite.flex-op",
                  Severity.HIGH,
                  where,
                  "Flex op " + op + " reads or writes files (or the network)");
          case UNREGISTERED ->
              ctx.finding(
                  c,
                  "tflite.custom-op",
                  Severity.HIGH,
                  where,
                  "custom operator '" + name + "': native code the application must provide");
          default ->
              ctx.finding(
                  c,
                  "tflite.flex-op",
                  Severity.MEDIUM,
                  where,
                  "Flex op " + op + ": runs TensorFlow kernels through the Flex delegate");
        }
      } else {
        ctx.finding(
            c,
            "tflite.custom-op",
            Severity.HIGH,
            where,
            "custom operator '" + name + "': native code the application must provide");
      }
    }
  }
}
