package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.formats.internal.Utf8;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists every node of a {@code saved_model.pb}: the nodes of each MetaGraphDef's GraphDef and of
 * every function in its FunctionDefLibrary, with their op types.
 *
 * <p>Fields read (saved_model.proto, meta_graph.proto, graph.proto, function.proto,
 * node_def.proto): SavedModel.meta_graphs (2); MetaGraphDef.graph_def (2); GraphDef.node (1) and
 * library (2); FunctionDefLibrary.function (1); FunctionDef.signature (1, an OpDef whose name is
 * field 1) and node_def (3); NodeDef.name (1), op (2) and the {@code output_stream} entry of attr
 * (5: key 1, AttrValue 2 whose string is field 2). Everything else is skipped by its wire type.
 *
 * <p>Guarantee: the file is parsed by positional reads through a small window (its size does not
 * matter); every length is checked against its enclosing message; at most {@code maxNodes} nodes
 * are returned and every name or op is at most {@link #MAX_STRING} bytes of UTF-8, otherwise a
 * {@link dev.modelseal.formats.FormatException} is thrown. Nothing is executed.
 */
public final class SavedModelGraph {
  /** Default most nodes (4,194,304). */
  public static final int MAX_NODES = 1 << 22;

  /** Longest node name, op or function name (65,536 bytes). */
  public static final int MAX_STRING = 1 << 16;

  private final ProtoInput in;
  private final int maxNodes;
  private final List<GraphNode> nodes = new ArrayList<>();

  private SavedModelGraph(ProtoInput in, int maxNodes) {
    this.in = in;
    this.maxNodes = maxNodes;
  }

  /** The nodes of {@code path} (a {@code saved_model.pb}, or a SavedModel directory). */
  public static List<GraphNode> read(Path path) throws ModelsealException {
    return read(path, MAX_NODES);
  }

  /** The nodes of {@code path}, at most {@code maxNodes} of them. */
  public static List<GraphNode> read(Path path, int maxNodes) throws ModelsealException {
    Path file = Files.isDirectory(path) ? path.resolve(SavedModelReader.GRAPH) : path;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SavedModelGraph g = new SavedModelGraph(new ProtoInput(ch, file), maxNodes);
      g.savedModel(ch.size());
      return List.copyOf(g.nodes);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  /**
   * The nodes of a bare {@code GraphDef} file (a frozen graph written by {@code tf.io.write_graph}
   * or {@code freeze_graph}, loaded by {@code tf.compat.v1.import_graph_def}), at most {@code
   * maxNodes}, with the same checks; meta graph index 0.
   */
  public static List<GraphNode> readGraphDef(Path file, int maxNodes) throws ModelsealException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SavedModelGraph g = new SavedModelGraph(new ProtoInput(ch, file), maxNodes);
      g.graph(0, ch.size());
      return List.copyOf(g.nodes);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  private void savedModel(long end) throws ModelsealException {
    int meta = 0;
    while (in.pos < end) {
      long tag = in.tag(end, "SavedModel");
      if (tag == (2 << 3 | ProtoInput.LEN)) {
        long metaEnd = in.lengthDelimited(end, "MetaGraphDef");
        metaGraph(meta++, metaEnd);
      } else {
        in.skip((int) (tag & 7), end, "SavedModel");
      }
    }
  }

  private void metaGraph(int meta, long end) throws ModelsealException {
    while (in.pos < end) {
      long tag = in.tag(end, "MetaGraphDef");
      if (tag == (2 << 3 | ProtoInput.LEN)) {
        graph(meta, in.lengthDelimited(end, "GraphDef"));
      } else {
        in.skip((int) (tag & 7), end, "MetaGraphDef");
      }
    }
  }

  private void graph(int meta, long end) throws ModelsealException {
    while (in.pos < end) {
      long tag = in.tag(end, "GraphDef");
      if (tag == (1 << 3 | ProtoInput.LEN)) {
        nodes.add(node(meta, null, in.lengthDelimited(end, "NodeDef")));
        checkCount();
      } else if (tag == (2 << 3 | ProtoInput.LEN)) {
        library(meta, in.lengthDelimited(end, "FunctionDefLibrary"));
      } else {
        in.skip((int) (tag & 7), end, "GraphDef");
      }
    }
  }

  private void library(int meta, long end) throws ModelsealException {
    while (in.pos < end) {
      long tag = in.tag(end, "FunctionDefLibrary");
      if (tag == (1 << 3 | ProtoInput.LEN)) {
        function(meta, in.lengthDelimited(end, "FunctionDef"));
      } else {
        in.skip((int) (tag & 7), end, "FunctionDefLibrary");
      }
    }
  }

  private void function(int meta, long end) throws ModelsealException {
    String name = "";
    List<GraphNode> body = new ArrayList<>();
    while (in.pos < end) {
      long tag = in.tag(end, "FunctionDef");
      if (tag == (1 << 3 | ProtoInput.LEN)) {
        long sigEnd = in.lengthDelimited(end, "OpDef");
        while (in.pos < sigEnd) {
          long t = in.tag(sigEnd, "OpDef");
          if (t == (1 << 3 | ProtoInput.LEN)) {
            name = string(sigEnd, "OpDef.name");
          } else {
            in.skip((int) (t & 7), sigEnd, "OpDef");
          }
        }
      } else if (tag == (3 << 3 | ProtoInput.LEN)) {
        body.add(node(meta, "", in.lengthDelimited(end, "NodeDef")));
        if (nodes.size() + body.size() > maxNodes) {
          checkCount(nodes.size() + body.size());
        }
      } else {
        in.skip((int) (tag & 7), end, "FunctionDef");
      }
    }
    for (GraphNode n : body) {
      nodes.add(new GraphNode(meta, name, n.name(), n.op(), n.outputStream()));
    }
  }

  private GraphNode node(int meta, String function, long end) throws ModelsealException {
    String name = "";
    String op = "";
    String outputStream = null;
    while (in.pos < end) {
      long tag = in.tag(end, "NodeDef");
      if (tag == (1 << 3 | ProtoInput.LEN)) {
        name = string(end, "NodeDef.name");
      } else if (tag == (2 << 3 | ProtoInput.LEN)) {
        op = string(end, "NodeDef.op");
      } else if (tag == (5 << 3 | ProtoInput.LEN)) {
        String s = outputStream(in.lengthDelimited(end, "NodeDef.attr"));
        outputStream = s == null ? outputStream : s;
      } else {
        in.skip((int) (tag & 7), end, "NodeDef");
      }
    }
    return new GraphNode(meta, function, name, op, outputStream);
  }

  /**
   * One {@code attr} map entry (key 1, AttrValue 2): the value's string {@code s} (AttrValue field
   * 2) when the key is {@code output_stream}, else null.
   */
  private String outputStream(long end) throws ModelsealException {
    String key = null;
    String value = null;
    while (in.pos < end) {
      long tag = in.tag(end, "NodeDef.attr");
      if (tag == (1 << 3 | ProtoInput.LEN)) {
        key = string(end, "NodeDef.attr key");
      } else if (tag == (2 << 3 | ProtoInput.LEN)) {
        // Read whatever the key (map entries may put the value first); long strings are kept as
        // a marker, not read.
        long valueEnd = in.lengthDelimited(end, "AttrValue");
        while (in.pos < valueEnd) {
          long t = in.tag(valueEnd, "AttrValue");
          if (t == (2 << 3 | ProtoInput.LEN)) {
            long to = in.lengthDelimited(valueEnd, "AttrValue.s");
            if (to - in.pos > MAX_STRING) {
              in.pos = to;
              value = "(a string over " + MAX_STRING + " bytes)";
            } else {
              byte[] b = in.bytes(to);
              try {
                value = Utf8.decode(b);
              } catch (IllegalArgumentException e) {
                value = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
              }
            }
          } else {
            in.skip((int) (t & 7), valueEnd, "AttrValue");
          }
        }
      } else {
        in.skip((int) (tag & 7), end, "NodeDef.attr");
      }
    }
    return "output_stream".equals(key) ? value : null;
  }

  private String string(long end, String what) throws ModelsealException {
    long to = in.lengthDelimited(end, what);
    LimitExceededException.check(in.file(), "the length of " + what, to - in.pos, MAX_STRING);
    byte[] b = in.bytes(to);
    try {
      return Utf8.decode(b);
    } catch (IllegalArgumentException e) {
      throw in.malformed(what + " is not UTF-8");
    }
  }

  private void checkCount() throws LimitExceededException {
    checkCount(nodes.size());
  }

  private void checkCount(long n) throws LimitExceededException {
    if (n > maxNodes) {
      throw new LimitExceededException(in.file(), "the node count", n, maxNodes);
    }
  }

  /**
   * True when {@code head}, the first bytes of a content, starts as a bare {@code GraphDef}: a
   * first {@code node} (field 1) whose {@code NodeDef} starts with its {@code name} (field 1, at
   * most 1 KiB) followed by its {@code op} (field 2): an op name of 1 to 128 letters, digits and
   * underscores starting with a letter or underscore, as TensorFlow's op names are. A SentencePiece
   * model (a piece's text followed by its score or type) and an ONNX model (a first varint field)
   * never start so.
   */
  public static boolean sniffGraphDefHead(byte[] head) {
    ProtoInput p = ProtoInput.of(head, null);
    long end = head.length;
    try {
      if (p.varint(end, "") != ((1 << 3) | ProtoInput.LEN)) {
        return false;
      }
      p.varint(end, ""); // the NodeDef's length: it may run past the head
      if (p.varint(end, "") != ((1 << 3) | ProtoInput.LEN)) {
        return false;
      }
      long name = p.varint(end, "");
      if (name > 1024 || p.pos + name >= end) {
        return false;
      }
      p.pos += name;
      if (p.varint(end, "") != ((2 << 3) | ProtoInput.LEN)) {
        return false;
      }
      long op = p.varint(end, "");
      if (op < 1 || op > 128 || p.pos + op > end) {
        return false;
      }
      for (int i = 0; i < op; i++) {
        int ch = head[(int) p.pos + i] & 0xff;
        boolean letter = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
        if (!letter && !(i > 0 && ch >= '0' && ch <= '9')) {
          return false;
        }
      }
      return true;
    } catch (ModelsealException e) {
      return false;
    }
  }

  /**
   * True when {@code head}, the first bytes of a content, starts as a {@code SavedModel} protobuf
   * ({@code saved_model.pb}): an optional {@code saved_model_schema_version = 1} (field 1), then a
   * {@code MetaGraphDef} (field 2) whose first field is one of its message fields 1 to 7 ({@code
   * meta_info_def}, which TensorFlow writes first, or {@code graph_def}, {@code saver_def}, ...,
   * {@code object_graph_def}: a protobuf parser, TensorFlow's too, takes fields in any order and
   * {@code tf.saved_model.load} takes a lone MetaGraphDef without {@code meta_info_def}). An ONNX
   * {@code ModelProto} starts with field 1, a varint (its IR version, 3 or more since 2017).
   */
  public static boolean sniffHead(byte[] head) {
    ProtoInput p = ProtoInput.of(head, null);
    long end = head.length;
    try {
      long tag = p.varint(end, "");
      if (tag == ((1 << 3) | ProtoInput.VARINT)) {
        if (p.varint(end, "") != 1) {
          return false;
        }
        tag = p.varint(end, "");
      }
      if (tag != ((2 << 3) | ProtoInput.LEN)) {
        return false;
      }
      p.varint(end, ""); // the MetaGraphDef's length: it may run past the head
      long first = p.varint(end, "");
      return (first & 7) == ProtoInput.LEN && first >> 3 >= 1 && first >> 3 <= 7;
    } catch (ModelsealException e) {
      return false;
    }
  }
}
