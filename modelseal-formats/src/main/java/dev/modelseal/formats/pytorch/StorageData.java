package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.TensorStream;

/** The stored bytes of one storage record: a zip member or a region of a legacy file. */
interface StorageData {
  /** The record's length in bytes. */
  long length();

  /** A stream of exactly {@code length} bytes from byte {@code from} of the record. */
  TensorStream range(long from, long length) throws ModelsealException;
}
