package dev.modelseal.formats.pickle;

/**
 * A string, bytes or integer value longer than a {@link PickleDecoder} in {@link
 * PickleDecoder.Options#SCAN} mode holds: its bytes were stepped over, only its type and length are
 * known.
 *
 * @param type {@code str}, {@code bytes}, {@code int} or {@code float}
 * @param length the encoded length in bytes, or -1 for a text line (read to its end, not counted)
 */
public record PySkipped(String type, long length) {}
