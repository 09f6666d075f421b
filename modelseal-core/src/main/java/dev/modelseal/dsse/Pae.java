package dev.modelseal.dsse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The DSSE v1 pre-authentication encoding, the bytes a DSSE signature is made over:
 *
 * <pre>"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload</pre>
 *
 * where {@code LEN} is the decimal <em>byte</em> length (UTF-8 for the type) and {@code payload} is
 * the raw payload bytes. Pure functions over {@code byte[]}; no state.
 */
public final class Pae {
  private Pae() {}

  /**
   * The DSSE v1 encoding of {@code payload} with {@code payloadType}.
   *
   * @param payloadType the payload type, e.g. {@code application/vnd.in-toto+json}
   * @param payload the raw payload bytes (not base64)
   * @return a new array
   */
  public static byte[] encode(String payloadType, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    byte[] type =
        Objects.requireNonNull(payloadType, "payloadType").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    ascii(out, "DSSEv1 " + type.length + " ");
    out.writeBytes(type);
    ascii(out, " " + payload.length + " ");
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /**
   * The encoding that {@code model_signing} 0.2.x signed (verification of historical bundles only,
   * never for signing): {@code "DSSEV1" SP LEN(type) SP type SP LEN(payload) SP repr(payload)}
   * where {@code repr} is Python's {@code repr()} of a {@code bytes} object and {@code
   * LEN(payload)} the raw byte length.
   *
   * @param payloadType the payload type
   * @param payload the raw payload bytes
   * @return a new array
   */
  public static byte[] encodeLegacyPython(String payloadType, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    byte[] type =
        Objects.requireNonNull(payloadType, "payloadType").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 2 + 64);
    ascii(out, "DSSEV1 " + type.length + " ");
    out.writeBytes(type);
    ascii(out, " " + payload.length + " ");
    pythonBytesRepr(out, payload);
    return out.toByteArray();
  }

  /**
   * Python's {@code repr(bytes)}: {@code b'...'}, or {@code b"..."} when only that avoids escapes.
   */
  private static void pythonBytesRepr(ByteArrayOutputStream out, byte[] b) {
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (byte x : b) {
      hasSingle |= x == '\'';
      hasDouble |= x == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    out.write('b');
    out.write(quote);
    for (byte x : b) {
      int c = x & 0xff;
      if (c == quote || c == '\\') {
        out.write('\\');
        out.write(c);
      } else if (c == '\t') {
        ascii(out, "\\t");
      } else if (c == '\n') {
        ascii(out, "\\n");
      } else if (c == '\r') {
        ascii(out, "\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        ascii(out, String.format("\\x%02x", c));
      } else {
        out.write(c);
      }
    }
    out.write(quote);
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
