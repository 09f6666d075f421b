package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.StoredRegion;
import dev.modelseal.formats.TensorStream;
import java.util.Optional;

/** The stored bytes of one storage record: a zip member or a region of a legacy file. */
interface StorageData {
  /** The record's length in bytes. */
  long length();

  /** A stream of exactly {@code length} bytes from byte {@code from} of the record. */
  TensorStream range(long from, long length) throws ModelsealException;

  /**
   * The file range of {@code length} bytes from byte {@code from} of the record, when the record is
   * stored verbatim in the file at a known offset; empty otherwise (the default).
   */
  default Optional<StoredRegion> region(long from, long length) {
    return Optional.empty();
  }
}
