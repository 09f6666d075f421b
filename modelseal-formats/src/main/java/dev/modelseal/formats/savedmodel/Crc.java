package dev.modelseal.formats.savedmodel;

/** The CRC32C masking of LevelDB and TensorFlow: {@code rotr(crc, 15) + 0xa282ead8}. */
final class Crc {
  private Crc() {}

  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }
}
