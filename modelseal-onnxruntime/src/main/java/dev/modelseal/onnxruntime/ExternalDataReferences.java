package dev.modelseal.onnxruntime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the external-data file names an ONNX model refers to, by walking the protobuf wire format
 * of the fields that can hold tensors: graph initializers and sparse initializers, node attributes
 * (tensors, sparse tensors, subgraphs: {@code If}, {@code Loop}, {@code Scan}), recursively. Reads
 * nothing else. Every length is checked against what remains; nesting is bounded.
 */
final class ExternalDataReferences {
  private static final int MAX_DEPTH = 32;

  // Field numbers from the public onnx.proto.
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_SPARSE_INITIALIZER = 15;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTRIBUTE_T = 5;
  private static final int ATTRIBUTE_G = 6;
  private static final int ATTRIBUTE_TENSORS = 10;
  private static final int ATTRIBUTE_GRAPHS = 11;
  private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
  private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int SPARSE_VALUES = 1;
  private static final int SPARSE_INDICES = 2;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;

  private final Set<String> locations = new LinkedHashSet<>();

  private ExternalDataReferences() {}

  /**
   * The {@code location} values of every tensor stored as external data.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed model
   */
  static Set<String> of(ByteBuffer model) {
    ExternalDataReferences r = new ExternalDataReferences();
    Reader top = new Reader(model.duplicate());
    while (top.more()) {
      int tag = top.tag();
      if (field(tag) == MODEL_GRAPH && wire(tag) == 2) {
        r.graph(top.message(), 1);
      } else {
        top.skip(tag);
      }
    }
    return r.locations;
  }

  private void graph(Reader g, int depth) {
    depth(depth);
    while (g.more()) {
      int tag = g.tag();
      int f = field(tag);
      if (wire(tag) != 2) {
        g.skip(tag);
      } else if (f == GRAPH_INITIALIZER) {
        tensor(g.message());
      } else if (f == GRAPH_SPARSE_INITIALIZER) {
        sparse(g.message());
      } else if (f == GRAPH_NODE) {
        node(g.message(), depth);
      } else {
        g.skip(tag);
      }
    }
  }

  private void node(Reader n, int depth) {
    while (n.more()) {
      int tag = n.tag();
      if (field(tag) == NODE_ATTRIBUTE && wire(tag) == 2) {
        attribute(n.message(), depth);
      } else {
        n.skip(tag);
      }
    }
  }

  private void attribute(Reader a, int depth) {
    while (a.more()) {
      int tag = a.tag();
      int f = field(tag);
      if (wire(tag) != 2) {
        a.skip(tag);
      } else if (f == ATTRIBUTE_T || f == ATTRIBUTE_TENSORS) {
        tensor(a.message());
      } else if (f == ATTRIBUTE_G || f == ATTRIBUTE_GRAPHS) {
        graph(a.message(), depth + 1);
      } else if (f == ATTRIBUTE_SPARSE_TENSOR || f == ATTRIBUTE_SPARSE_TENSORS) {
        sparse(a.message());
      } else {
        a.skip(tag);
      }
    }
  }

  private void sparse(Reader s) {
    while (s.more()) {
      int tag = s.tag();
      int f = field(tag);
      if (wire(tag) == 2 && (f == SPARSE_VALUES || f == SPARSE_INDICES)) {
        tensor(s.message());
      } else {
        s.skip(tag);
      }
    }
  }

  private void tensor(Reader t) {
    String location = null;
    boolean external = false;
    while (t.more()) {
      int tag = t.tag();
      int f = field(tag);
      if (f == TENSOR_DATA_LOCATION && wire(tag) == 0) {
        external = t.varint() == 1;
      } else if (f == TENSOR_EXTERNAL_DATA && wire(tag) == 2) {
        Reader e = t.message();
        String key = null;
        String value = null;
        while (e.more()) {
          int et = e.tag();
          if (field(et) == ENTRY_KEY && wire(et) == 2) {
            key = e.string();
          } else if (field(et) == ENTRY_VALUE && wire(et) == 2) {
            value = e.string();
          } else {
            e.skip(et);
          }
        }
        if ("location".equals(key)) {
          location = value;
        }
      } else {
        t.skip(tag);
      }
    }
    if (external) {
      if (location == null) {
        throw new IllegalArgumentException("an external tensor has no location");
      }
      locations.add(location);
    }
  }

  private static void depth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("subgraphs nested deeper than " + MAX_DEPTH);
    }
  }

  private static int field(int tag) {
    return tag >>> 3;
  }

  private static int wire(int tag) {
    return tag & 7;
  }

  /** A bounded view of protobuf bytes. */
  private static final class Reader {
    private final ByteBuffer b;

    Reader(ByteBuffer b) {
      this.b = b;
    }

    boolean more() {
      return b.hasRemaining();
    }

    int tag() {
      long t = varint();
      if (t <= 0 || t > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("malformed protobuf tag");
      }
      return (int) t;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (!b.hasRemaining()) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte x = b.get();
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    Reader message() {
      long len = varint();
      if (len < 0 || len > b.remaining()) {
        throw new IllegalArgumentException("a length runs past the end of the model");
      }
      ByteBuffer slice = b.slice(b.position(), (int) len);
      b.position(b.position() + (int) len);
      return new Reader(slice);
    }

    String string() {
      ByteBuffer s = message().b;
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(s).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("a string is not valid UTF-8");
      }
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> message();
        case 5 -> advance(4);
        default ->
            throw new IllegalArgumentException("unsupported protobuf wire type " + (tag & 7));
      }
    }

    private void advance(int n) {
      if (b.remaining() < n) {
        throw new IllegalArgumentException("truncated field");
      }
      b.position(b.position() + n);
    }
  }
}
