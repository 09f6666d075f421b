/**
 * A non-executing pickle interpreter (protocols 0 to 5).
 *
 * <p>{@link dev.modelseal.formats.pickle.PickleMachine} runs the opcodes of a pickle as a stack
 * machine and builds an inert value tree: {@link java.lang.String}, {@link java.lang.Long}, {@link
 * java.math.BigInteger}, {@link java.lang.Double}, {@link java.lang.Boolean}, {@link
 * dev.modelseal.formats.pickle.PyNone}, {@link dev.modelseal.formats.pickle.PyBytes}, {@link
 * dev.modelseal.formats.pickle.PyList}, {@link dev.modelseal.formats.pickle.PyTuple}, {@link
 * dev.modelseal.formats.pickle.PyDict}, {@link dev.modelseal.formats.pickle.PySet} and opaque
 * {@link dev.modelseal.formats.pickle.PyGlobal}, {@link dev.modelseal.formats.pickle.PyCall} and
 * {@link dev.modelseal.formats.pickle.PyPersistentId} nodes. Nothing is imported, instantiated or
 * called: what a call means is decided by a {@link dev.modelseal.formats.pickle.PickleResolver},
 * which accepts only what it knows. Every global the pickle names is recorded ({@link
 * dev.modelseal.formats.pickle.PickleImport}) for review.
 *
 * <p>Every count and length is checked against {@link dev.modelseal.formats.pickle.PickleLimits}
 * and the input size before anything is allocated; hostile input ends in a {@link
 * dev.modelseal.formats.FormatException}.
 */
package dev.modelseal.formats.pickle;
