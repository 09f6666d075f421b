package dev.modelseal.formats.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.Utf8;
import dev.modelseal.internal.StrictJson;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
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

  private ShardedSafetensorsReader() {}

  /** Opens the model whose index is {@code index}. */
  public static TensorModel open(Path index, ReadLimits limits) throws ModelsealException {
    Map<String, String> weightMap = new TreeMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    readIndex(index, limits, weightMap, metadata);
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
        SafetensorsReader.Parsed p = SafetensorsReader.parse(ch, shard, limits);
        for (RegionSource t : p.tensors) {
          String want = weightMap.get(t.info().name());
          if (!s.getKey().equals(want)) {
            throw new MalformedModelException(
                shard,
                "tensor '"
                    + t.info().name()
                    + "' is in this shard but the index "
                    + (want == null ? "does not list it" : "puts it in '" + want + "'"));
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
                "the index puts tensor '" + e.getKey() + "' in this shard but it is not there");
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
          index, "shard '" + name + "' is not a plain file name in the model directory");
    }
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedModelException(
          index, "shard '" + name + "' is not a regular file in the model directory");
    }
    return p;
  }

  private static void readIndex(
      Path index, ReadLimits limits, Map<String, String> weightMap, Map<String, String> metadata)
      throws ModelsealException {
    byte[] bytes;
    try {
      long size = Files.size(index);
      LimitExceededException.check(index, "index size", size, limits.indexBytes());
      bytes = Files.readAllBytes(index);
    } catch (IOException e) {
      throw ModelIoException.of(index, e);
    }
    JsonNode root;
    try {
      root = StrictJson.mapper().readTree(Utf8.decode(bytes));
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(index, "index is not valid UTF-8");
    } catch (IOException e) {
      throw new MalformedModelException(
          index,
          "index is not valid JSON: "
              + SafetensorsReader.firstLine(
                  e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                      ? j.getOriginalMessage()
                      : e.getMessage()),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedModelException(index, "index is not a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("metadata") && !k.equals("weight_map")) {
        throw new MalformedModelException(index, "index has an unknown field '" + k + "'");
      }
    }
    JsonNode wm = root.get("weight_map");
    if (wm == null || !wm.isObject()) {
      throw new MalformedModelException(index, "index has no weight_map object");
    }
    LimitExceededException.check(index, "tensor count", wm.size(), limits.tensors());
    for (Map.Entry<String, JsonNode> e : wm.properties()) {
      if (!e.getValue().isTextual()) {
        throw new MalformedModelException(
            index, "weight_map entry '" + e.getKey() + "' is not a file name string");
      }
      weightMap.put(e.getKey(), e.getValue().textValue());
    }
    JsonNode md = root.get("metadata");
    if (md != null && !md.isNull()) {
      if (!md.isObject()) {
        throw new MalformedModelException(index, "index metadata is not an object");
      }
      for (Map.Entry<String, JsonNode> e : md.properties()) {
        JsonNode v = e.getValue();
        metadata.put(e.getKey(), v.isTextual() ? v.textValue() : v.toString());
      }
    }
  }
}
