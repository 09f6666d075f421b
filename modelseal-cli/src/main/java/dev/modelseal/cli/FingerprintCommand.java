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
import java.nio.file.Path;
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
          + " SavedModel. With --json the result follows docs/schemas/fingerprint.v1.json."
    },
    footer = {"", "Exit codes: 0 success, 2 usage or input error."})
final class FingerprintCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The model file or directory.")
  Path model;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--tensors", description = "Also list each tensor: digest, dtype, shape, name.")
  boolean tensors;

  @Override
  public Integer call() throws ModelsealException {
    PrintWriter out = spec.commandLine().getOut();
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
        out.println(Json.pretty(o));
      } else {
        out.println("weights " + f.weights());
        out.println("content " + f.content());
        if (tensors) {
          for (TensorFingerprint t : f.tensors()) {
            out.println(
                t.digest()
                    + "  "
                    + t.info().dtype()
                    + t.info().shapeText()
                    + "  "
                    + Printable.of(t.name()));
          }
        }
      }
    }
    return Main.OK;
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
