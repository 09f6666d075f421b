package dev.modelseal.scan.rules;

import dev.modelseal.formats.savedmodel.SavedModelGraph;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import java.io.IOException;

/**
 * Bare TensorFlow graphs ({@code GraphDef} files: frozen graphs written by {@code
 * tf.io.write_graph} or {@code freeze_graph}, TF1 {@code .pb} models, loaded by {@code
 * tf.compat.v1.import_graph_def} and run in a session): every node and every function of its
 * library rated as in a SavedModel ({@link SavedModelRule}). Rule ids: {@code tfgraph.python-op}
 * (critical), {@code tfgraph.file-op} (high), {@code tfgraph.unregistered-op} (medium), {@code
 * tfgraph.checkpoint-io} (info), {@code tfgraph.malformed} (medium: a graph whose head looks like a
 * GraphDef but that cannot be walked to its end).
 *
 * <p>Claimed by content ({@link SavedModelGraph#sniffGraphDefHead}): a first node whose name is
 * followed by an op name.
 */
public final class TensorFlowGraphRule implements FormatRule {
  @Override
  public String format() {
    return "tensorflow-graph";
  }

  @Override
  public boolean claims(Content c) {
    return SavedModelGraph.sniffGraphDefHead(c.head());
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    SavedModelRule.scanGraph(
        c,
        ctx,
        "tfgraph",
        "TensorFlow graph",
        file -> SavedModelGraph.readGraphDef(file, SavedModelGraph.MAX_NODES));
  }
}
