package dev.modelseal.formats.pickle;

/**
 * A global a pickle names, where it names it: for review and for the scanner to rate.
 *
 * @param global the global
 * @param opcode the opcode that named it ({@code GLOBAL}, {@code INST}, {@code STACK_GLOBAL},
 *     {@code EXT1}...)
 * @param offset the byte offset of the opcode in the pickle
 */
public record PickleImport(PyGlobal global, String opcode, long offset) {}
