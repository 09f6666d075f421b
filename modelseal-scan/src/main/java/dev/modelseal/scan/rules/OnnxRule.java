package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ONNX models, walked as protobuf without reading tensor data. Rule ids: {@code
 * onnx.external-data-escape} (high: an external data location that is absolute or climbs out of the
 * model directory, so loading reads an arbitrary file), {@code onnx.custom-domain} (high: an
 * operator set or node domain outside the ONNX standard and ONNX Runtime's built-in domains, which
 * needs a native custom-operator library), {@code onnx.malformed} (medium).
 */
public final class OnnxRule implements FormatRule {
  /** Deepest nesting of graphs in node attributes walked (as the ONNX reader's limit). */
  static final int MAX_DEPTH = 32;

  private static final Set<String> STANDARD_DOMAINS =
      Set.of(
          "",
          "ai.onnx",
          "ai.onnx.ml",
          "ai.onnx.training",
          "ai.onnx.preview.training",
          "com.microsoft",
          "com.microsoft.nchwc",
          "com.microsoft.experimental",
          "com.ms.internal.nhwc");

  @Override
  public String format() {
    return "onnx";
  }

  @Override
  public boolean claims(Content c) {
    // ModelProto starts with ir_version (field 1, varint) and then a known ModelProto field.
    if (c.headByte(0) != 0x08) {
      return false;
    }
    int i = 1;
    long version = 0;
    int shift = 0;
    while (i < c.headLength() && i < 11) {
      int b = c.headByte(i++);
      version |= (long) (b & 0x7F) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (version < 1 || version > 64 || i >= c.headLength()) {
      return c.headLength() == i && version >= 1 && version <= 64;
    }
    int tag = c.headByte(i);
    int field = tag >>> 3;
    int wire = tag & 7;
    return (wire == 2
            && (field == 2
                || field == 3
                || field == 4
                || field == 6
                || field == 7
                || field == 8
                || field == 14
                || field == 20
                || field == 25))
        || (wire == 0 && field == 5);
  }

  private static final class Walk {
    final Content c;
    final ScanContext ctx;
    final ProtoStream in;
    final Map<String, Long> opsets = new LinkedHashMap<>();
    final Set<String> localFunctionDomains = new HashSet<>();
    final Map<String, String> customNodes = new LinkedHashMap<>();
    final Map<String, Boolean> reportedLocations = new HashMap<>();

    Walk(Content c, ScanContext ctx, InputStream raw) {
      this.c = c;
      this.ctx = ctx;
      this.in = new ProtoStream(raw);
    }
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    try (InputStream raw = c.open()) {
      Walk w = new Walk(c, ctx, raw);
      try {
        model(w, c.size() >= 0 ? c.size() : Long.MAX_VALUE);
      } catch (IOException e) {
        ctx.finding(
            c,
            "onnx.malformed",
            Severity.MEDIUM,
            "",
            "not a readable ONNX model: " + e.getMessage());
      } finally {
        report(w);
      }
    }
  }

  private static void report(Walk w) {
    for (Map.Entry<String, Long> e : w.opsets.entrySet()) {
      String d = e.getKey();
      if (!STANDARD_DOMAINS.contains(d) && !w.localFunctionDomains.contains(d)) {
        w.ctx.finding(
            w.c,
            "onnx.custom-domain",
            Severity.HIGH,
            "opset_import '" + PickleScan.printable(d) + "'",
            "imports custom operator domain '"
                + PickleScan.printable(d)
                + "': running the model needs a native custom-operator library");
      }
    }
    for (Map.Entry<String, String> e : w.customNodes.entrySet()) {
      String d = e.getKey();
      boolean imported = w.opsets.containsKey(d);
      if (!imported || !STANDARD_DOMAINS.contains(d) && !w.localFunctionDomains.contains(d)) {
        w.ctx.finding(
            w.c,
            "onnx.custom-domain",
            Severity.HIGH,
            e.getValue(),
            "node of operator domain '"
                + PickleScan.printable(d)
                + "'"
                + (imported ? "" : ", which the model does not import,")
                + " is no standard ONNX operator");
      }
    }
  }

  private static void model(Walk w, long end) throws IOException {
    while (w.in.offset() < end) {
      long tag;
      try {
        tag = w.in.varint();
      } catch (java.io.EOFException e) {
        if (end == Long.MAX_VALUE) {
          return;
        }
        throw e;
      }
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoStream.LEN && (field == 7 || field == 8 || field == 25)) {
        long sub = w.in.region(end);
        switch (field) {
          case 7 -> graph(w, sub, 0);
          case 8 -> opset(w, sub);
          default -> function(w, sub);
        }
        w.in.skipTo(sub);
      } else {
        w.in.skip(wire, end);
      }
    }
  }

  private static void opset(Walk w, long end) throws IOException {
    String domain = "";
    long version = 0;
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      if (tag == (1 << 3 | ProtoStream.LEN)) {
        String d = w.in.string(end, 4096);
        domain = d == null ? "(over 4096 bytes)" : d;
      } else if (tag == (2 << 3 | ProtoStream.VARINT)) {
        version = w.in.varint();
      } else {
        w.in.skip((int) (tag & 7), end);
      }
    }
    w.opsets.put(domain, version);
  }

  private static void function(Walk w, long end) throws IOException {
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 10 && wire == ProtoStream.LEN) {
        String d = w.in.string(end, 4096);
        if (d != null) {
          w.localFunctionDomains.add(d);
        }
      } else if (field == 7 && wire == ProtoStream.LEN) {
        long sub = w.in.region(end);
        node(w, sub, 1);
        w.in.skipTo(sub);
      } else {
        w.in.skip(wire, end);
      }
    }
  }

  private static void graph(Walk w, long end, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("graphs nested more than " + MAX_DEPTH + " deep");
    }
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoStream.LEN && (field == 1 || field == 5 || field == 15)) {
        long sub = w.in.region(end);
        switch (field) {
          case 1 -> node(w, sub, depth);
          case 5 -> tensor(w, sub);
          default -> sparse(w, sub);
        }
        w.in.skipTo(sub);
      } else {
        w.in.skip(wire, end);
      }
    }
  }

  private static void sparse(Walk w, long end) throws IOException {
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoStream.LEN && (field == 1 || field == 2)) {
        long sub = w.in.region(end);
        tensor(w, sub);
        w.in.skipTo(sub);
      } else {
        w.in.skip(wire, end);
      }
    }
  }

  private static void node(Walk w, long end, int depth) throws IOException {
    String name = "";
    String op = "";
    String domain = "";
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoStream.LEN && field == 3) {
        name = orLong(w.in.string(end, 4096));
      } else if (wire == ProtoStream.LEN && field == 4) {
        op = orLong(w.in.string(end, 4096));
      } else if (wire == ProtoStream.LEN && field == 7) {
        domain = orLong(w.in.string(end, 4096));
      } else if (wire == ProtoStream.LEN && field == 5) {
        long sub = w.in.region(end);
        attribute(w, sub, depth);
        w.in.skipTo(sub);
      } else {
        w.in.skip(wire, end);
      }
    }
    if (!STANDARD_DOMAINS.contains(domain)
        || !w.opsets.isEmpty() && !w.opsets.containsKey(domain)) {
      w.customNodes.putIfAbsent(
          domain, "node '" + PickleScan.printable(name) + "' (" + PickleScan.printable(op) + ")");
    }
  }

  private static String orLong(String s) {
    return s == null ? "(over 4096 bytes)" : s;
  }

  private static void attribute(Walk w, long end, int depth) throws IOException {
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoStream.LEN && (field == 6 || field == 11)) {
        long sub = w.in.region(end);
        graph(w, sub, depth + 1);
        w.in.skipTo(sub);
      } else if (wire == ProtoStream.LEN && (field == 5 || field == 10)) {
        long sub = w.in.region(end);
        tensor(w, sub);
        w.in.skipTo(sub);
      } else if (wire == ProtoStream.LEN && (field == 22 || field == 23)) {
        long sub = w.in.region(end);
        sparse(w, sub);
        w.in.skipTo(sub);
      } else {
        w.in.skip(wire, end);
      }
    }
  }

  private static void tensor(Walk w, long end) throws IOException {
    String name = "";
    while (w.in.offset() < end) {
      long tag = w.in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoStream.LEN && field == 8) {
        name = orLong(w.in.string(end, 4096));
      } else if (wire == ProtoStream.LEN && field == 13) {
        long sub = w.in.region(end);
        String key = null;
        String value = null;
        while (w.in.offset() < sub) {
          long t = w.in.varint();
          if (t == (1 << 3 | ProtoStream.LEN)) {
            key = w.in.string(sub, 4096);
          } else if (t == (2 << 3 | ProtoStream.LEN)) {
            value = w.in.string(sub, 4096);
            if (value == null) {
              value = "(over 4096 bytes)";
            }
          } else {
            w.in.skip((int) (t & 7), sub);
          }
        }
        if ("location".equals(key) && value != null && escapes(value)) {
          String where = "tensor '" + PickleScan.printable(name) + "'";
          if (w.reportedLocations.putIfAbsent(value, Boolean.TRUE) == null) {
            w.ctx.finding(
                w.c,
                "onnx.external-data-escape",
                Severity.HIGH,
                where,
                "external data location '"
                    + PickleScan.printable(value)
                    + "' is outside the model directory; loading reads that file");
          }
        }
      } else {
        w.in.skip(wire, end);
      }
    }
  }

  /** True for a location that is absolute, has a drive or climbs with {@code ..}. */
  static boolean escapes(String location) {
    if (location.isEmpty()) {
      return false;
    }
    if (location.indexOf('\0') >= 0
        || location.startsWith("/")
        || location.startsWith("\\")
        || (location.length() >= 2 && location.charAt(1) == ':')) {
      return true;
    }
    for (String part : location.replace('\\', '/').split("/", -1)) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
