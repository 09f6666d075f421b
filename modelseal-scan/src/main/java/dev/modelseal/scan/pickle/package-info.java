/**
 * A scanning-oriented pickle opcode walker ({@link dev.modelseal.scan.pickle.PickleWalker}) that
 * reports every import with its opcode offset without building objects, and the allowlist-first
 * {@link dev.modelseal.scan.pickle.ImportPolicy}. Nothing is executed, imported or deserialized.
 */
package dev.modelseal.scan.pickle;
