package dev.modelseal.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge, parsed by hand (RFC 9110 auth-params): the scheme ({@code
 * basic} or {@code bearer}, lower-case) and its parameters ({@code realm}, {@code service}, {@code
 * scope}). At most 4 KiB and 16 parameters are read.
 */
record Challenge(String scheme, Map<String, String> params) {
  static Challenge parse(String header) {
    if (header == null || header.length() > 4096) {
      throw new IllegalArgumentException("missing or oversized WWW-Authenticate challenge");
    }
    String h = header.trim();
    int sp = 0;
    while (sp < h.length() && !Character.isWhitespace(h.charAt(sp))) {
      sp++;
    }
    String scheme = h.substring(0, sp).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    int i = sp;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ',' || Character.isWhitespace(h.charAt(i)))) {
        i++;
      }
      if (i >= h.length()) {
        break;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < h.length() && h.charAt(i) == '"') {
        i++;
        while (i < h.length() && h.charAt(i) != '"') {
          char c = h.charAt(i);
          if (c == '\\' && i + 1 < h.length()) {
            i++;
            c = h.charAt(i);
          }
          v.append(c);
          i++;
        }
        i++; // closing quote
      } else {
        while (i < h.length() && h.charAt(i) != ',') {
          v.append(h.charAt(i));
          i++;
        }
      }
      if (params.size() >= 16) {
        throw new IllegalArgumentException("too many WWW-Authenticate parameters");
      }
      params.put(key, v.toString().trim());
    }
    return new Challenge(scheme, params);
  }
}
