/**
 * The scanner's consumer of the formats module's pickle opcode decoder ({@link
 * dev.modelseal.scan.pickle.PickleWalker}), which reports every import with its opcode offset to a
 * {@link dev.modelseal.scan.pickle.PickleListener} without building objects, and the
 * allowlist-first {@link dev.modelseal.scan.pickle.ImportPolicy}. Nothing is executed, imported or
 * deserialized.
 */
package dev.modelseal.scan.pickle;
