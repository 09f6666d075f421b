package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.tflite.TfliteFile;
import dev.modelseal.formats.tflite.TfliteOperatorCode;
import dev.modelseal.formats.tflite.TfliteReader;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanAllowlist;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * TFLite flatbuffers: every custom operator code. Rule ids: {@code tflite.custom-op} (the
 * application must have registered native code for it before the interpreter runs: low for the
 * custom ops TFLite's own op resolver and MediaPipe ship, whose code is that of the installed
 * runtime; medium for any other, whose code cannot be told from the file), {@code tflite.flex-op}
 * (a TensorFlow op run by the Flex delegate, rated like a SavedModel op: critical for Python ops,
 * high for file or network ops, low otherwise), {@code tflite.malformed} (medium).
 */
public final class TfliteRule implements FormatRule {
  private static final String FLEX = "Flex";

  /**
   * Custom ops whose kernels ship with the runtimes that load such models: TFLite's builtin op
   * resolver registers the first group (tensorflow/lite/core/kernels/register.cc), MediaPipe's
   * TFLite op resolver the second (mediapipe/util/tflite/operations), TFLite's text ops the third.
   */
  private static final Set<String> RUNTIME_CUSTOM_OPS =
      Set.of(
          "TFLite_Detection_PostProcess",
          "Mfcc",
          "AudioSpectrogram",
          "RandomStandardNormal",
          "RandomUniform",
          "Multinomial",
          "Convolution2DTransposeBias",
          "MaxPoolingWithArgmax2D",
          "MaxUnpooling2D",
          "Landmarks2TransformMatrix",
          "TransformLandmarks",
          "TransformTensorBilinear",
          "TFSentencepieceTokenizeOp",
          "TFLite_SentencepieceTokenizer",
          "TFLite_SentencepieceDetokenizer",
          "WhitespaceTokenizer",
          "NgramsStringJoin",
          "RaggedTensorToTensor");

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
          case UNREGISTERED -> unknownCustomOp(c, ctx, where, name);
          default ->
              ctx.finding(
                  c,
                  "tflite.flex-op",
                  Severity.LOW,
                  where,
                  "Flex op "
                      + op
                      + ": a TensorFlow kernel the installed Flex delegate runs (no file, network"
                      + " or Python access)");
        }
      } else if (RUNTIME_CUSTOM_OPS.contains(name)) {
        ctx.finding(
            c,
            "tflite.custom-op",
            Severity.LOW,
            where,
            "custom operator '"
                + name
                + "': shipped with TFLite's or MediaPipe's op resolver, native code already"
                + " installed with the runtime",
            ScanAllowlist.Subject.op(name));
      } else {
        unknownCustomOp(c, ctx, where, name);
      }
    }
  }

  private static void unknownCustomOp(Content c, ScanContext ctx, String where, String name) {
    ctx.finding(
        c,
        "tflite.custom-op",
        Severity.MEDIUM,
        where,
        "custom operator '"
            + PickleScan.printable(name)
            + "': native code the application must have registered; what it does cannot be"
            + " told from the file",
        ScanAllowlist.Subject.op(name));
  }
}
