package dev.modelseal.formats.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: malformed or unmappable input is an error, never a replacement character. */
public final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code bytes}.
   *
   * @throws IllegalArgumentException when the bytes are not well-formed UTF-8
   */
  public static String decode(byte[] bytes, int off, int len) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not valid UTF-8", e);
    }
  }

  /** Decodes all of {@code bytes}; see {@link #decode(byte[], int, int)}. */
  public static String decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }
}
