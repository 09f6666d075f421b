package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.fingerprint.TensorFingerprint;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.TensorModel;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal fingerprint}: the format-independent weight fingerprint of a model. */
@Command(
    name = "fingerprint",
    mixinStandardHelpOptions = true,
    description = {
      "Print the weight fingerprint of a model: its weights and content digests.",
      "The weights digest binds tensor names, dtypes, shapes and values; the content digest"
          + " ignores names. The same tensors give the same fingerprint in every format read:"
          + " safetensors (sharded too), GGUF, .npy, .npz, joblib, PyTorch (zip, legacy and"
          + " TorchScript), ONNX, Keras (.h5 and .keras), TF.js, TensorFlow SavedModel and"
          + " TFLite; metadata is not part of it (definition v1, docs/fingerprint.md).",
      "Formats are detected by content, never by name. A directory is read as sharded"
          + " safetensors (model.safetensors.index.json), a TF.js model (model.json) or a"
          + " SavedModel. With --json the result follows docs/schemas/fingerprint.v1.json.",
      "Several PATHs are read one after the other in one run: each result starts with its"
          + " path (text), or is one JSON document a line (--json: JSON Lines, a failed PATH"
          + " an error document of docs/schemas/error.v1.json); a PATH that cannot be read is"
          + " reported on standard error and the others are still read."
    },
    footer = {
      "",
      "Exit codes: 0 success, 2 usage or input error (with several PATHs: any of them)."
    })
final class FingerprintCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "The model file or directory; several are read in turn.")
  List<Path> models;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--tensors", description = "Also list each tensor: digest, dtype, shape, name.")
  boolean tensors;

  @Override
  public Integer call() throws ModelsealException {
    PrintWriter out = spec.commandLine().getOut();
    if (models.size() == 1) {
      print(models.get(0), out, false);
      return Main.OK;
    }
    // Several models: each result whole or not at all, failures reported and the rest read.
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path model : models) {
      try {
        print(model, out, true);
      } catch (ModelsealException | UncheckedIOException e) {
        failed = true;
        String message = Printable.of(ErrorReporting.describe(e));
        err.println("modelseal: " + message);
        err.flush();
        if (json) {
          out.println(
              Json.oneLine(
                  ErrorReporting.errorJson(
                      ErrorReporting.exitCode(e),
                      e instanceof ModelsealException m ? m : null,
                      message)));
        }
      }
      out.flush();
    }
    return failed ? Main.ERROR : Main.OK;
  }

  /**
   * Prints the fingerprint of {@code model}; {@code several}: one JSON line, or text after a line
   * naming the path. Nothing is printed when it cannot be read.
   */
  private void print(Path model, PrintWriter out, boolean several) throws ModelsealException {
    try (TensorModel m = FormatDetector.create().open(model)) {
      Fingerprint f = Fingerprinter.create().fingerprint(m);
      if (json) {
        ObjectNode o = JsonResults.of(JsonResults.FINGERPRINT);
        o.put("path", model.toString());
        o.put("format", m.format().label());
        o.put("definition", "modelseal-fingerprint/" + Fingerprint.VERSION);
        o.put("weights", f.weights().toString());
        o.put("content", f.content().toString());
        o.put("tensor_count", f.tensors().size());
        if (tensors) {
          ArrayNode a = o.putArray("tensors");
          f.tensors().forEach(t -> a.add(tensorJson(t)));
        }
        out.println(several ? Json.oneLine(o) : Json.pretty(o));
      } else {
        StringBuilder text = new StringBuilder();
        if (several) {
          text.append(Printable.of(model.toString())).append('\n');
        }
        text.append("weights ").append(f.weights()).append('\n');
        text.append("content ").append(f.content()).append('\n');
        if (tensors) {
          for (TensorFingerprint t : f.tensors()) {
            text.append(t.digest())
                .append("  ")
                .append(t.info().dtype())
                .append(t.info().shapeText())
                .append("  ")
                .append(Printable.of(t.name()))
                .append('\n');
          }
        }
        out.print(text);
      }
    }
  }

  static ObjectNode tensorJson(TensorFingerprint t) {
    ObjectNode o = Json.object();
    o.put("name", t.name());
    o.put("dtype", t.info().dtype().name());
    ArrayNode s = o.putArray("shape");
    for (long d : t.info().shape()) {
      s.add(d);
    }
    o.put("bytes", t.info().byteLength());
    o.put("digest", t.digest().toString());
    return o;
  }
}
