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
 */
public record GraphNode(int metaGraph, String function, String name, String op) {}
