package dev.modelseal.formats.tflite;

/**
 * One operator of a subgraph, by its index into {@link TfliteFile#operatorCodes()} (checked to be
 * in range).
 *
 * @param subgraph the subgraph index
 * @param index the operator's index in the subgraph
 * @param opcodeIndex the index of its operator code
 */
public record TfliteOperator(int subgraph, int index, int opcodeIndex) {}
