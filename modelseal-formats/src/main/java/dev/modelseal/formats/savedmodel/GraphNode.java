package dev.modelseal.formats.savedmodel;

/**
 * One {@code NodeDef} of a SavedModel's graphs: where it is, its name and its op. A scanner can
 * flag ops that touch files, the network or run Python ({@code ReadFile}, {@code WriteFile}, {@code
 * PyFunc}...) from this list; nothing here is executed or resolved.
 *
 * @param metaGraph the index of its MetaGraphDef in the SavedModel
 * @param function the name of the library function it belongs to, or null for the top-level graph
 * @param name the node's name
 * @param op the node's op type
 * @param outputStream the node's {@code output_stream} string attribute ({@code PrintV2} writes to
 *     it: {@code stderr}, {@code log(info)}, or a {@code file://} path), or null when it has none
 */
public record GraphNode(
    int metaGraph, String function, String name, String op, String outputStream) {
  /** A node without an {@code output_stream} attribute. */
  public GraphNode(int metaGraph, String function, String name, String op) {
    this(metaGraph, function, name, op, null);
  }
}
