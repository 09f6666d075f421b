/**
 * The one non-executing pickle opcode decoder (protocols 0 to 5) and its tree-building consumer.
 *
 * <p>{@link dev.modelseal.formats.pickle.PickleDecoder} reads the opcodes of a {@link
 * dev.modelseal.formats.pickle.PickleInput} with CPython's framing ({@link
 * dev.modelseal.formats.pickle.PickleFrame}), runs the stack, marks and memo, decodes every scalar
 * and hands globals, calls, containers and {@code BUILD} to a {@link
 * dev.modelseal.formats.pickle.PickleConsumer}; every stop before {@code STOP} is a {@link
 * dev.modelseal.formats.pickle.PickleException} with the opcode offset. Its consumers are {@link
 * dev.modelseal.formats.pickle.PickleMachine}, which builds an inert value tree for the tensor
 * readers ({@link java.lang.String}, {@link java.lang.Long}, {@link java.math.BigInteger}, {@link
 * java.lang.Double}, {@link java.lang.Boolean}, {@link dev.modelseal.formats.pickle.PyNone}, {@link
 * dev.modelseal.formats.pickle.PyBytes}, {@link dev.modelseal.formats.pickle.PyList}, {@link
 * dev.modelseal.formats.pickle.PyTuple}, {@link dev.modelseal.formats.pickle.PyDict}, {@link
 * dev.modelseal.formats.pickle.PySet} and opaque {@link dev.modelseal.formats.pickle.PyGlobal},
 * {@link dev.modelseal.formats.pickle.PyCall} and {@link
 * dev.modelseal.formats.pickle.PyPersistentId} nodes; what a call means is decided by a {@link
 * dev.modelseal.formats.pickle.PickleResolver}, which accepts only what it knows), and the
 * scanner's import walker ({@code dev.modelseal.scan.pickle}). Nothing is imported, instantiated or
 * called. Every global the pickle names is recorded ({@link
 * dev.modelseal.formats.pickle.PickleImport}) for review.
 *
 * <p>Every count and length is checked against {@link dev.modelseal.formats.pickle.PickleLimits}
 * and the input size before anything is allocated; hostile input ends in a {@link
 * dev.modelseal.formats.FormatException} for the readers.
 */
package dev.modelseal.formats.pickle;
