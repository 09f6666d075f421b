package dev.modelseal.formats.pickle;

/**
 * A persistent id ({@code PERSID}, {@code BINPERSID}) that no resolver replaced: a reference to
 * something outside the pickle (PyTorch storages).
 *
 * @param pid the id value
 */
public record PyPersistentId(Object pid) {}
