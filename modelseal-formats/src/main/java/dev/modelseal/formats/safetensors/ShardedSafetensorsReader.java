package dev.modelseal.formats.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.RegionInput;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.StreamingJson;
import dev.modelseal.formats.internal.TableBudget;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a sharded safetensors model: {@code model.safetensors.index.json} ({@code {"metadata":
 * {...}, "weight_map": {tensor: shard}}}) and the shards it names.
 *
 * <p>Guarantee: every shard is a regular file (not a link) directly inside the index's directory
 * and passes {@link SafetensorsReader}'s validation; the tensors of the shards are exactly the
 * index's tensors, each in the shard the index names. Shards in the directory that the index does
 * not name are ignored.
 */
public final class ShardedSafetensorsReader {
  /** The index file name, as Hugging Face writes it. */
  public static final String INDEX = "model.safetensors.index.json";

  /** Longest shard file name in the weight map, in characters. */
  private static final int MAX_SHARD_NAME = 4096;

  private ShardedSafetensorsReader() {}

  /** Opens the model whose index is {@code index}. */
  public static TensorModel open(Path index, ReadLimits limits) throws ModelsealException {
    Map<String, String> weightMap = new TreeMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    TableBudget budget = TableBudget.of(index, "the index's and shards' tensors", limits);
    readIndex(index, limits, budget, weightMap, metadata);
    Path dir = index.toAbsolutePath().getParent();
    Map<String, List<String>> byShard = new TreeMap<>();
    for (Map.Entry<String, String> e : weightMap.entrySet()) {
      byShard.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
    }
    List<Closeable> open = new ArrayList<>();
    List<RegionSource> tensors = new ArrayList<>();
    try {
      for (Map.Entry<String, List<String>> s : byShard.entrySet()) {
        Path shard = shardPath(index, dir, s.getKey());
        FileChannel ch;
        try {
          ch = FileChannel.open(shard, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          throw ModelIoException.of(shard, e);
        }
        open.add(ch);
        SafetensorsReader.Parsed p = SafetensorsReader.parse(ch, shard, limits, budget);
        for (RegionSource t : p.tensors) {
          String want = weightMap.get(t.info().name());
          if (!s.getKey().equals(want)) {
            throw new MalformedModelException(
                shard,
                "tensor "
                    + Quoted.of(t.info().name())
                    + " is in this shard but the index "
                    + (want == null ? "does not list it" : "puts it in " + Quoted.of(want)));
          }
          tensors.add(t);
        }
        LimitExceededException.check(index, "tensor count", tensors.size(), limits.tensors());
      }
      if (tensors.size() != weightMap.size()) {
        java.util.Set<String> found = new java.util.HashSet<>();
        tensors.forEach(t -> found.add(t.info().name()));
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
          if (!found.contains(e.getKey())) {
            throw new MalformedModelException(
                dir.resolve(e.getValue()),
                "the index puts tensor "
                    + Quoted.of(e.getKey())
                    + " in this shard but it is not there");
          }
        }
      }
      return TensorModel.of(index, Format.SAFETENSORS_SHARDED, tensors, metadata, open);
    } catch (ModelsealException | RuntimeException e) {
      TensorModel.closeAll(open);
      throw e;
    }
  }

  private static Path shardPath(Path index, Path dir, String name) throws MalformedModelException {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\\') >= 0
        || name.indexOf('\0') >= 0) {
      throw new MalformedModelException(
          index, "shard " + Quoted.of(name) + " is not a plain file name in the model directory");
    }
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedModelException(
          index, "shard " + Quoted.of(name) + " is not a regular file in the model directory");
    }
    return p;
  }

  private static void readIndex(
      Path index,
      ReadLimits limits,
      TableBudget budget,
      Map<String, String> weightMap,
      Map<String, String> metadata)
      throws ModelsealException {
    long size;
    try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
      size = ch.size();
      LimitExceededException.check(index, "index size", size, limits.indexBytes());
      try (JsonParser p = StreamingJson.parser(ch, 0, size)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new MalformedModelException(index, "index is not a JSON object");
        }
        boolean sawMap = false;
        boolean sawMetadata = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          JsonToken v = p.nextToken();
          if (k.equals("weight_map") && !sawMap) {
            sawMap = true;
            readWeightMap(index, p, v, limits, budget, weightMap);
          } else if (k.equals("metadata") && !sawMetadata) {
            sawMetadata = true;
            readMetadata(index, p, v, ch, budget, metadata);
          } else {
            throw new MalformedModelException(
                index,
                "index has "
                    + (sawMap || sawMetadata ? "a second or " : "")
                    + "an unknown field "
                    + Quoted.of(k));
          }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
          throw new MalformedModelException(index, "index is not valid JSON: not one object");
        }
        if (!sawMap) {
          throw new MalformedModelException(index, "index has no weight_map object");
        }
      } catch (RegionInput.MalformedUtf8Exception | JsonProcessingException e) {
        throw new MalformedModelException(index, "index is " + StreamingJson.reason(e), e);
      }
    } catch (IOException e) {
      throw ModelIoException.of(index, e);
    }
  }

  private static void readWeightMap(
      Path index,
      JsonParser p,
      JsonToken v,
      ReadLimits limits,
      TableBudget budget,
      Map<String, String> weightMap)
      throws IOException, ModelsealException {
    if (v != JsonToken.START_OBJECT) {
      throw new MalformedModelException(index, "index has no weight_map object");
    }
    Map<String, String> shards = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING || p.getTextLength() > MAX_SHARD_NAME) {
        throw new MalformedModelException(
            index, "weight_map entry " + Quoted.of(name) + " is not a file name string");
      }
      LimitExceededException.check(index, "tensor count", weightMap.size() + 1L, limits.tensors());
      budget.charge(name, 0);
      String shard = shards.computeIfAbsent(p.getText(), s -> s);
      if (weightMap.put(name, shard) != null) {
        throw new MalformedModelException(
            index, "weight_map names tensor " + Quoted.of(name) + " twice");
      }
    }
  }

  private static void readMetadata(
      Path index,
      JsonParser p,
      JsonToken v,
      FileChannel ch,
      TableBudget budget,
      Map<String, String> metadata)
      throws IOException, ModelsealException {
    if (v == JsonToken.VALUE_NULL) {
      return;
    }
    if (v != JsonToken.START_OBJECT) {
      throw new MalformedModelException(index, "index metadata is not an object");
    }
    JsonToken t = p.nextToken();
    while (t == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      budget.charge(k, 0);
      if (metadata.size() >= SafetensorsHeader.MAX_METADATA) {
        throw LimitExceededException.because(
            index,
            "index metadata has more than "
                + SafetensorsHeader.MAX_METADATA
                + " entries (the limit)",
            metadata.size() + 1L,
            SafetensorsHeader.MAX_METADATA);
      }
      JsonToken value = p.nextToken();
      String text;
      if (value == JsonToken.VALUE_STRING) {
        StreamingJson.Text s = StreamingJson.shortString(p, ch, 0, SafetensorsHeader.KEPT_VALUE);
        text =
            s.value() != null
                ? s.value()
                : "(a string of about " + Quoted.bytes(s.jsonBytes()) + ", not kept)";
      } else if (value.isScalarValue()) {
        text = p.getText();
        p.nextToken();
      } else {
        p.skipChildren();
        text = "(a JSON " + (value == JsonToken.START_ARRAY ? "array" : "object") + ", not kept)";
        p.nextToken();
      }
      budget.charge(2L * text.length());
      if (metadata.put(k, text) != null) {
        throw new MalformedModelException(
            index, "index metadata has the key " + Quoted.of(k) + " twice");
      }
      t = p.currentToken();
    }
    if (t != JsonToken.END_OBJECT) {
      throw new MalformedModelException(index, "index is not valid JSON: metadata is not closed");
    }
  }
}
