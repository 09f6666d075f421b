package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.savedmodel.GraphNode;
import dev.modelseal.formats.savedmodel.SavedModelGraph;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow SavedModel graphs ({@code saved_model.pb}): every node of every meta graph and of
 * every function in its library, rated by {@link TensorFlowOps}. Rule ids: {@code
 * savedmodel.python-op} (critical: {@code PyFunc}/{@code EagerPyFunc} run Python when the graph
 * runs), {@code savedmodel.file-op} (high: file or network access, also a {@code PrintV2} whose
 * {@code output_stream} is a file), {@code savedmodel.unregistered-op} (medium: an op outside
 * TensorFlow's registry, native code from a custom library whose effect cannot be told), {@code
 * savedmodel.checkpoint-io} (info: the save/restore ops of the variables checkpoint, one finding
 * per op type), {@code savedmodel.malformed} (medium). Locations name the node, and the function it
 * is in.
 *
 * <p>Claimed by content, with the graph reader's own test ({@link SavedModelGraph#sniffHead}): a
 * protobuf that starts with {@code saved_model_schema_version = 1} (an optional field, which may be
 * missing) and a {@code MetaGraphDef} whose first field is one of its message fields ({@code
 * meta_info_def} as TensorFlow writes it, or {@code graph_def} first in a file built by hand),
 * which an ONNX {@code ModelProto} (a protobuf starting with field 1, a varint) never is. A {@code
 * saved_model.pb} that is not this is reported by the scanner as unknown content of a model layout
 * (medium).
 */
public final class SavedModelRule implements FormatRule {
  /**
   * The {@code output_stream} values of {@code PrintV2} that are not files (TensorFlow accepts
   * these and {@code file://PATH}; a missing attribute is {@code stderr}).
   */
  private static final Set<String> STANDARD_STREAMS =
      java.util.Collections.unmodifiableSet(
          new HashSet<>(
              java.util.Arrays.asList(
                  null, "stderr", "stdout", "log(info)", "log(warning)", "log(error)")));

  @Override
  public String format() {
    return "savedmodel";
  }

  @Override
  public boolean claims(Content c) {
    return SavedModelGraph.sniffHead(c.head());
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    scanGraph(c, ctx, "savedmodel", "SavedModel graph", SavedModelGraph::read);
  }

  /** Reads the nodes of a graph file. */
  @FunctionalInterface
  interface GraphReader {
    List<GraphNode> read(Path file) throws ModelsealException;
  }

  /**
   * Reads {@code c}'s graph with {@code reader} and rates its nodes ({@link #rateNodes}); a graph
   * that cannot be read is {@code prefix.malformed} (medium), naming {@code what}.
   */
  static void scanGraph(Content c, ScanContext ctx, String prefix, String what, GraphReader reader)
      throws IOException {
    List<GraphNode> nodes;
    try {
      nodes = reader.read(ctx.spill(c));
    } catch (ModelsealException e) {
      ctx.finding(
          c, prefix + ".malformed", Severity.MEDIUM, "", what + " unreadable: " + e.reason());
      return;
    }
    rateNodes(c, ctx, prefix, nodes);
  }

  /**
   * Rates every node of a TensorFlow graph ({@code prefix} names the rules: {@code savedmodel},
   * {@code tfgraph}).
   */
  static void rateNodes(Content c, ScanContext ctx, String prefix, List<GraphNode> nodes) {
    Set<String> functions = new HashSet<>();
    for (GraphNode n : nodes) {
      if (n.function() != null) {
        functions.add(n.function());
      }
    }
    Map<String, GraphNode> checkpointOps = new LinkedHashMap<>();
    for (GraphNode n : nodes) {
      String where =
          "node '"
              + n.name()
              + "'"
              + (n.function() == null ? "" : " in function '" + n.function() + "'");
      if (n.op().equals("PrintV2") && !STANDARD_STREAMS.contains(n.outputStream())) {
        ctx.finding(
            c,
            prefix + ".file-op",
            Severity.HIGH,
            where,
            "op PrintV2 writes to '"
                + PickleScan.printable(String.valueOf(n.outputStream()))
                + "' (a file, not a standard stream) when the graph runs");
      }
      if (TensorFlowOps.report(c, ctx, prefix, n.op(), where, functions)
          == TensorFlowOps.Kind.CHECKPOINT_IO) {
        checkpointOps.putIfAbsent(n.op(), n);
      }
    }
    for (GraphNode n : checkpointOps.values()) {
      ctx.finding(
          c,
          prefix + ".checkpoint-io",
          Severity.INFO,
          "node '" + n.name() + "'",
          "op "
              + n.op()
              + (prefix.equals("savedmodel")
                  ? " (variables checkpoint I/O, present in every SavedModel)"
                  : " (variables checkpoint I/O: a saver's save and restore ops)"));
    }
  }
}
