package dev.modelseal.formats.pytorch;

/** A tensor found in a pickle: a view of a storage. Arrays are owned (not copied). */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}
