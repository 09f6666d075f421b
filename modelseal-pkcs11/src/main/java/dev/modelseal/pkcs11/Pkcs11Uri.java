package dev.modelseal.pkcs11;

import dev.modelseal.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A PKCS#11 URI (RFC 7512) naming a private key: {@code
 * pkcs11:token=T;object=K?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin}.
 *
 * <p>Parsing is strict: at most {@link #MAX_LENGTH} characters; only the RFC's attributes (path:
 * token, manufacturer, serial, model, library-manufacturer, library-description, library-version,
 * slot-description, slot-manufacturer, slot-id, object, id, type; query: module-path, module-name,
 * pin-source, pin-value), each at most once; every character outside the RFC's sets must be
 * percent-encoded, every {@code %XX} is decoded and the text values must be UTF-8. {@code
 * module-path} is required (this tool loads no module by name). {@link #toString()} never shows
 * {@code pin-value}. Immutable.
 */
public final class Pkcs11Uri {
  /** The longest URI accepted. */
  public static final int MAX_LENGTH = 4096;

  private static final Set<String> PATH_ATTRIBUTES =
      Set.of(
          "token",
          "manufacturer",
          "serial",
          "model",
          "library-manufacturer",
          "library-description",
          "library-version",
          "slot-description",
          "slot-manufacturer",
          "slot-id",
          "object",
          "id",
          "type");
  private static final Set<String> QUERY_ATTRIBUTES =
      Set.of("module-path", "module-name", "pin-source", "pin-value");
  private static final String PATH_EXTRA = ":[]@!$&'()*+,=";
  private static final String QUERY_EXTRA = ":[]@!$'()*+,;/?|";

  private final Map<String, byte[]> path;
  private final Map<String, byte[]> query;

  private Pkcs11Uri(Map<String, byte[]> path, Map<String, byte[]> query) {
    this.path = Collections.unmodifiableMap(path);
    this.query = Collections.unmodifiableMap(query);
  }

  /**
   * Parses {@code text}.
   *
   * @throws InvalidInputException naming the first problem (never echoing a PIN)
   */
  public static Pkcs11Uri parse(String text) throws InvalidInputException {
    if (text == null || text.length() > MAX_LENGTH) {
      throw bad("longer than " + MAX_LENGTH + " characters");
    }
    if (!text.startsWith("pkcs11:")) {
      throw bad("must start with 'pkcs11:'");
    }
    String rest = text.substring("pkcs11:".length());
    int q = rest.indexOf('?');
    String pathPart = q < 0 ? rest : rest.substring(0, q);
    String queryPart = q < 0 ? null : rest.substring(q + 1);
    Map<String, byte[]> path = attributes(pathPart, ';', PATH_EXTRA, PATH_ATTRIBUTES, "path");
    Map<String, byte[]> query =
        queryPart == null
            ? new LinkedHashMap<>()
            : attributes(queryPart, '&', QUERY_EXTRA, QUERY_ATTRIBUTES, "query");
    Pkcs11Uri uri = new Pkcs11Uri(path, query);
    uri.validate();
    return uri;
  }

  private static Map<String, byte[]> attributes(
      String part, char separator, String extra, Set<String> known, String where)
      throws InvalidInputException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (part.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= part.length()) {
      int end = part.indexOf(separator, start);
      if (end < 0) {
        end = part.length();
      }
      String attr = part.substring(start, end);
      int eq = attr.indexOf('=');
      if (eq <= 0) {
        throw bad("malformed " + where + " attribute (expected name=value)");
      }
      String name = attr.substring(0, eq);
      if (!known.contains(name)) {
        throw bad("unknown " + where + " attribute '" + printable(name) + "'");
      }
      if (out.containsKey(name)) {
        throw bad("attribute '" + name + "' given twice");
      }
      out.put(name, decode(attr.substring(eq + 1), extra, name));
      start = end + 1;
    }
    return out;
  }

  private static byte[] decode(String value, String extra, String name)
      throws InvalidInputException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          throw bad("truncated percent-encoding in '" + name + "'");
        }
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw bad("malformed percent-encoding in '" + name + "'");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (unreserved(c) || extra.indexOf(c) >= 0) {
        out.write(c);
      } else {
        throw bad("character " + describe(c) + " in '" + name + "' must be percent-encoded");
      }
    }
    return out.toByteArray();
  }

  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private void validate() throws InvalidInputException {
    for (Map.Entry<String, byte[]> e : path.entrySet()) {
      if (!e.getKey().equals("id")) {
        text(e.getValue(), e.getKey());
      }
    }
    for (Map.Entry<String, byte[]> e : query.entrySet()) {
      if (!e.getKey().equals("pin-value")) {
        text(e.getValue(), e.getKey());
      }
    }
    if (query.containsKey("pin-source") && query.containsKey("pin-value")) {
      throw bad("give pin-source or pin-value, not both");
    }
    if (query.containsKey("module-name") && !query.containsKey("module-path")) {
      throw bad("module-name is not supported: give the module's file as module-path");
    }
    if (!query.containsKey("module-path")) {
      throw bad("module-path (the PKCS#11 library's file) is required");
    }
    if (query.get("module-path").length == 0) {
      throw bad("module-path is empty");
    }
    if (!path.containsKey("object") && !path.containsKey("id")) {
      throw bad("name the key with object= (its label) or id=");
    }
    Optional<String> type = attribute("type");
    if (type.isPresent() && !type.get().equals("private")) {
      throw bad("type must be 'private' (the signing key), not '" + printable(type.get()) + "'");
    }
    Optional<String> slot = attribute("slot-id");
    if (slot.isPresent()) {
      String s = slot.get();
      if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        throw bad("slot-id must be a decimal number");
      }
    }
    Optional<String> ps = attribute("pin-source");
    if (ps.isPresent() && !ps.get().startsWith("file:")) {
      throw bad("pin-source must be a file: URI such as file:/run/secrets/pin");
    }
  }

  private static String text(byte[] value, String name) throws InvalidInputException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad("'" + name + "' is not UTF-8 text");
    }
  }

  /** A text attribute (path or query; never {@code pin-value} or {@code id}), decoded. */
  public Optional<String> attribute(String name) {
    if (name.equals("pin-value") || name.equals("id")) {
      throw new IllegalArgumentException(name + " is not a text attribute");
    }
    byte[] v = path.containsKey(name) ? path.get(name) : query.get(name);
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  /** The {@code id} attribute's bytes. */
  public Optional<byte[]> id() {
    byte[] v = path.get("id");
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /** The PKCS#11 library file ({@code module-path}). */
  public String modulePath() {
    return attribute("module-path").orElseThrow();
  }

  /** True when the URI carries the PIN itself ({@code pin-value}): discouraged. */
  public boolean hasPinValue() {
    return query.containsKey("pin-value");
  }

  /** The {@code pin-value} as characters; the caller clears the array after use. */
  char[] pinValue() {
    byte[] v = query.get("pin-value");
    if (v == null) {
      return null;
    }
    java.nio.CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(v));
    char[] out = new char[cb.remaining()];
    cb.get(out);
    java.util.Arrays.fill(cb.array(), '\0');
    return out;
  }

  /** The URI with {@code pin-value} replaced by {@code ***}, for messages. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("pkcs11:");
    String sep = "";
    for (Map.Entry<String, byte[]> e : path.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(encode(e.getValue(), PATH_EXTRA));
      sep = ";";
    }
    sep = "?";
    for (Map.Entry<String, byte[]> e : query.entrySet()) {
      String v = e.getKey().equals("pin-value") ? "***" : encode(e.getValue(), QUERY_EXTRA);
      b.append(sep).append(e.getKey()).append('=').append(v);
      sep = "&";
    }
    return b.toString();
  }

  private static String encode(byte[] value, String extra) {
    StringBuilder b = new StringBuilder();
    for (byte x : value) {
      char c = (char) (x & 0xff);
      if (c < 0x80 && (unreserved(c) || extra.indexOf(c) >= 0)) {
        b.append(c);
      } else {
        b.append('%')
            .append(Character.forDigit((x >> 4) & 0xf, 16))
            .append(Character.forDigit(x & 0xf, 16));
      }
    }
    return b.toString();
  }

  private static String describe(char c) {
    return c < 0x20 || c >= 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  private static InvalidInputException bad(String reason) {
    return new InvalidInputException(null, "PKCS#11 URI: " + reason);
  }
}
