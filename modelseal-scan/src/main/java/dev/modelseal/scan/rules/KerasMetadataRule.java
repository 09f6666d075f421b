package dev.modelseal.scan.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code keras_metadata.pb} of a Keras SavedModel ({@code tf.keras} {@code save_format="tf"}):
 * one JSON configuration per layer, from which {@code tf.keras.models.load_model} rebuilds the
 * model, {@code Lambda} bytecode included, whatever the graph beside it says. Each node's metadata
 * (SavedMetadata.nodes = 1; SavedObject.node_path = 3, metadata = 5) is inspected by {@link
 * KerasConfigInspector}, located by its node path. Rule ids: the inspector's; {@code
 * keras.malformed} (medium) when the protobuf or a node's JSON cannot be read.
 *
 * <p>Claimed by content: a first field 1 (length-delimited) whose message starts with field 2
 * (varint node id) or field 3 (the node path).
 */
public final class KerasMetadataRule implements FormatRule {
  /** The longest metadata string of one node (16 MiB). */
  static final int MAX_METADATA = 16 * 1024 * 1024;

  /** The most nodes read. */
  static final int MAX_NODES = 1 << 20;

  @Override
  public String format() {
    return "keras-metadata";
  }

  @Override
  public boolean claims(Content c) {
    byte[] head = c.head();
    ProtoInput p = ProtoInput.of(head, null);
    long end = head.length;
    try {
      if (p.varint(end, "") != ((1 << 3) | ProtoInput.LEN)) {
        return false;
      }
      p.varint(end, ""); // the node's length: it may run past the head
      long tag = p.varint(end, "");
      return tag == ((2 << 3) | ProtoInput.VARINT) || tag == ((3 << 3) | ProtoInput.LEN);
    } catch (ModelsealException e) {
      return false;
    }
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ProtoInput in = new ProtoInput(ch, file);
      long end = ch.size();
      int nodes = 0;
      while (in.pos < end) {
        long tag = in.tag(end, "SavedMetadata");
        if ((tag >>> 3) != 1 || (tag & 7) != ProtoInput.LEN) {
          in.skip((int) (tag & 7), end, "SavedMetadata");
          continue;
        }
        if (++nodes > MAX_NODES) {
          ctx.finding(
              c, "keras.malformed", Severity.MEDIUM, "", "more than " + MAX_NODES + " nodes");
          return;
        }
        node(in, in.lengthDelimited(end, "SavedObject"), c, ctx);
      }
    } catch (ModelsealException e) {
      ctx.finding(
          c, "keras.malformed", Severity.MEDIUM, "", "Keras metadata unreadable: " + e.reason());
    }
  }

  private static void node(ProtoInput in, long end, Content c, ScanContext ctx)
      throws ModelsealException {
    String path = "";
    byte[] metadata = null;
    while (in.pos < end) {
      long tag = in.tag(end, "SavedObject");
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == ProtoInput.LEN && (field == 3 || field == 5)) {
        long to = in.lengthDelimited(end, field == 3 ? "node_path" : "metadata");
        if (to - in.pos > MAX_METADATA) {
          throw in.malformed("a node's metadata is larger than " + MAX_METADATA + " bytes");
        }
        byte[] b = in.bytes(to);
        if (field == 3) {
          path = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        } else {
          metadata = b;
        }
      } else {
        in.skip(wire, end, "SavedObject");
      }
    }
    if (metadata == null || metadata.length == 0) {
      return;
    }
    String where = "node '" + path + "'";
    JsonNode json;
    try {
      json = StrictJson.parseObject(metadata);
    } catch (IllegalArgumentException e) {
      ctx.finding(c, "keras.malformed", Severity.MEDIUM, where, e.getMessage());
      return;
    }
    KerasConfigInspector.inspect(json, c, ctx, where);
  }
}
