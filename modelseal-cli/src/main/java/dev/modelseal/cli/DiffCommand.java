package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.fingerprint.FingerprintDiff;
import dev.modelseal.fingerprint.TensorFingerprint;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.TensorModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal diff}: which tensors differ between two models, in any formats. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the tensors of two models, in any supported formats.",
      "Tensors are paired by name, then by content; changed, added, removed and renamed"
          + " tensors are listed, with the maximum absolute difference for numeric tensors of"
          + " equal shape. With --atol, tensors that differ by at most X count as equal."
    },
    footer = {
      "",
      "Exit codes: 0 same, 1 different, 2 usage or input error. With --json the result"
          + " follows docs/schemas/diff.v1.json."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "A", description = "The first model.")
  Path a;

  @Parameters(index = "1", paramLabel = "B", description = "The second model.")
  Path b;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--atol",
      paramLabel = "X",
      description = "Count tensors whose values differ by at most X as equal (e.g. fp16 vs fp32).")
  Double atol;

  @Override
  public Integer call() throws ModelsealException {
    if (atol != null && !(atol >= 0 && atol < Double.POSITIVE_INFINITY)) {
      throw new ParameterException(spec.commandLine(), "--atol must be a finite number >= 0");
    }
    OptionalDouble tol = atol == null ? OptionalDouble.empty() : OptionalDouble.of(atol);
    FormatDetector d = FormatDetector.create();
    FingerprintDiff diff;
    try (TensorModel ma = d.open(a);
        TensorModel mb = d.open(b)) {
      diff = FingerprintDiff.compare(ma, mb, tol);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.pretty(json(diff)));
    } else {
      text(out, diff);
    }
    return diff.same() ? Main.OK : Main.MISMATCH;
  }

  private void text(PrintWriter out, FingerprintDiff diff) {
    if (diff.same()) {
      out.println(
          (diff.identical() ? "SAME weights " : "SAME within atol, weights ")
              + diff.left().weights()
              + (diff.identical() ? "" : " vs " + diff.right().weights()));
    } else {
      out.println(
          "DIFFERENT "
              + diff.changed().size()
              + " changed, "
              + diff.added().size()
              + " added, "
              + diff.removed().size()
              + " removed, "
              + diff.renamed().size()
              + " renamed"
              + (diff.left().content().matches(diff.right().content())
                  ? " (same content digest: only names differ)"
                  : ""));
    }
    for (FingerprintDiff.Change c : diff.changed()) {
      out.println("  changed  " + Printable.of(c.name()) + "  " + describe(c));
    }
    for (FingerprintDiff.Change c : diff.nearEqual()) {
      out.println("  near     " + Printable.of(c.name()) + "  " + describe(c));
    }
    for (FingerprintDiff.Rename r : diff.renamed()) {
      out.println(
          "  renamed  " + Printable.of(r.left().name()) + " -> " + Printable.of(r.right().name()));
    }
    for (TensorFingerprint t : diff.removed()) {
      out.println(
          "  removed  " + Printable.of(t.name()) + "  " + t.info().dtype() + t.info().shapeText());
    }
    for (TensorFingerprint t : diff.added()) {
      out.println(
          "  added    " + Printable.of(t.name()) + "  " + t.info().dtype() + t.info().shapeText());
    }
  }

  private static String describe(FingerprintDiff.Change c) {
    String l = c.left().info().dtype() + c.left().info().shapeText();
    String r = c.right().info().dtype() + c.right().info().shapeText();
    String s = l.equals(r) ? l : l + " -> " + r;
    if (c.maxAbsDiff().isPresent()) {
      s += "  max abs diff " + c.maxAbsDiff().getAsDouble();
    }
    return s;
  }

  private ObjectNode json(FingerprintDiff diff) {
    ObjectNode o = JsonResults.of(JsonResults.DIFF);
    o.put("a", a.toString());
    o.put("b", b.toString());
    o.put("same", diff.same());
    o.put("identical", diff.identical());
    o.put("weights_a", diff.left().weights().toString());
    o.put("weights_b", diff.right().weights().toString());
    o.put("content_a", diff.left().content().toString());
    o.put("content_b", diff.right().content().toString());
    if (atol != null) {
      o.put("atol", atol);
    }
    ArrayNode ch = o.putArray("changed");
    diff.changed().forEach(c -> ch.add(change(c)));
    ArrayNode ne = o.putArray("near_equal");
    diff.nearEqual().forEach(c -> ne.add(change(c)));
    ArrayNode rn = o.putArray("renamed");
    diff.renamed()
        .forEach(
            r -> {
              ObjectNode x = rn.addObject();
              x.put("from", r.left().name());
              x.put("to", r.right().name());
              x.put("digest", r.left().digest().toString());
            });
    ArrayNode rm = o.putArray("removed");
    diff.removed().forEach(t -> rm.add(FingerprintCommand.tensorJson(t)));
    ArrayNode ad = o.putArray("added");
    diff.added().forEach(t -> ad.add(FingerprintCommand.tensorJson(t)));
    return o;
  }

  private static ObjectNode change(FingerprintDiff.Change c) {
    ObjectNode x = Json.object();
    x.put("name", c.name());
    x.set("a", FingerprintCommand.tensorJson(c.left()));
    x.set("b", FingerprintCommand.tensorJson(c.right()));
    if (c.maxAbsDiff().isPresent()) {
      double d = c.maxAbsDiff().getAsDouble();
      if (Double.isNaN(d)) {
        x.put("max_abs_diff", "NaN");
      } else {
        x.put("max_abs_diff", d);
      }
    }
    return x;
  }
}
